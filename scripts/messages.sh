#!/usr/bin/env bash
# Refresh one app's Dutch catalogue: extract strings, fill translations from dict files, compile.
#   scripts/messages.sh APP [DICT_FILE ...]
# DICT_FILE: a Python file with TRANSLATIONS = {"English": "Nederlands", ...}.
set -euo pipefail
top="$(cd "$(dirname "$0")/.." && pwd)"
app="$1"; shift
export VANGNET_DEMO=1
cd "$top/src/vangnet/$app"
mkdir -p locale
"$top/.venv/bin/python" "$top/scripts/makemessages.py"
if [ $# -gt 0 ]; then
  "$top/.venv/bin/python" "$top/scripts/po_fill.py" locale/nl/LC_MESSAGES/django.po "$@" || true
fi
"$top/.venv/bin/python" "$top/scripts/makemessages.py" compile
