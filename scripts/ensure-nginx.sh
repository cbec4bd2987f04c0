#!/usr/bin/env bash
# The deployment tests (tests/browser/test_nginx.py) serve the built site with Debian's nginx and its
# Brotli module, with the shipped configuration (deploy/cours.conf). Installed like Chromium.
set -u
NGINX=${NGINX:-/usr/sbin/nginx}
BROTLI_MODULE=/usr/lib/nginx/modules/ngx_http_brotli_static_module.so
[ -x "$NGINX" ] && [ -f "$BROTLI_MODULE" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installation de nginx et de son module Brotli (paquets Debian « nginx » et « libnginx-mod-http-brotli-static »)…"
  export DEBIAN_FRONTEND=noninteractive
  # The package would start a system nginx on port 80: the tests start their own instead.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  apt-get update -qq && apt-get install -y -qq nginx libnginx-mod-http-brotli-static >/dev/null
  [ -x "$NGINX" ] && [ -f "$BROTLI_MODULE" ] && exit 0
  echo "L'installation de nginx avec apt-get a échoué (voir le message ci-dessus)." >&2
fi
echo "nginx et son module Brotli sont requis pour les tests de déploiement : installez-les avec « sudo apt-get install nginx libnginx-mod-http-brotli-static », puis relancez « make test »." >&2
exit 1
