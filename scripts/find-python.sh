#!/usr/bin/env bash
# Print the path of a Python >= 3.12 (pyodide-build needs it), or explain in one
# sentence what to install. Tries the version pinned in .python-version first.
set -u
want=$(cat "$(dirname "$0")/../.python-version" 2>/dev/null || echo 3.13.0)
candidates=()
[ -n "${PYENV_ROOT:-}" ] && candidates+=("$PYENV_ROOT/versions/$want/bin/python3")
candidates+=("$HOME/.pyenv/versions/$want/bin/python3" python3.13 python3.12 python3.14 python3 python)
for py in "${candidates[@]}"; do
  path=$(command -v "$py" 2>/dev/null) || continue
  if "$path" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
    echo "$path"; exit 0
  fi
done
echo "Python 3.12 ou plus récent est requis (pyodide-build en a besoin) : installez-le, par exemple avec « pyenv install $want », puis relancez la commande." >&2
exit 1
