#!/usr/bin/env bash
# Stop with one clear sentence when Node.js >= 20 (and npm) is missing.
set -u
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "Node.js 20 ou plus récent (avec npm) est requis pour installer Pyodide : installez-le (par exemple « apt-get install nodejs npm ») puis relancez la commande." >&2
  exit 1
fi
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 20 ]; then
  echo "Node.js $(node --version) est trop ancien : la version 20 ou plus récente est requise." >&2
  exit 1
fi
