#!/usr/bin/env bash
# Browser tests need Debian's Chromium (never a browser downloaded by Playwright).
set -u
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
[ -x "$CHROMIUM" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installation de Chromium (paquet Debian « chromium »)…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq chromium >/dev/null
  [ -x "$CHROMIUM" ] && exit 0
  echo "L'installation de Chromium avec apt-get a échoué (voir le message ci-dessus)." >&2
fi
echo "Chromium est requis pour les tests navigateur : installez-le avec « sudo apt-get install chromium » (ou indiquez son chemin dans la variable CHROMIUM), puis relancez « make test »." >&2
exit 1
