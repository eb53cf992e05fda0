#!/usr/bin/env bash
# Create .venv with a Python >= 3.12 and install the locked dependencies (uv.lock) with uv.
# uv is itself a locked dev dependency, so the venv holds the uv that keeps it in sync.
set -euo pipefail
cd "$(dirname "$0")/.."

convient() { "$1" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; }

trouver_python() {
  for candidat in "${PYTHON:-}" python3.13 python3.12 python3; do
    [ -n "$candidat" ] && convient "$candidat" && { command -v "$candidat"; return; }
  done
  # pyenv installs (its shims only answer for the selected version, so ask for the prefix).
  if command -v pyenv >/dev/null 2>&1; then
    for v in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.1[2-9]' | sort -rV); do
      candidat="$(pyenv prefix "$v")/bin/python3"
      convient "$candidat" && { echo "$candidat"; return; }
    done
  fi
  echo "Python 3.12 ou plus récent est introuvable : installez-le ou indiquez-le avec PYTHON=/chemin/python3." >&2
  exit 1
}

if [ ! -x .venv/bin/uv ]; then
  py=$(trouver_python)
  "$py" -m venv .venv
  .venv/bin/python -m pip install --quiet --disable-pip-version-check "uv==0.13.8"
fi
UV_PYTHON=.venv/bin/python .venv/bin/uv sync --frozen --quiet
