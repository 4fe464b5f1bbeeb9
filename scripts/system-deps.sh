#!/usr/bin/env bash
# What the test suite needs from Debian: Chromium (browser tests), gettext (message catalogues),
# Pango (WeasyPrint PDFs) and HarfBuzz's subset library (keeps a PDF at ~0.1 s, not ~4 s).
# Missing and running as root: installed with apt-get. Missing otherwise: stop at once with the
# one line to run. Used by `make test` and `.ci/run`.
set -euo pipefail

need=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || need+=(chromium)
command -v msgfmt >/dev/null 2>&1 || need+=(gettext)
libs="$(/sbin/ldconfig -p 2>/dev/null || ldconfig -p 2>/dev/null || true)"
grep -q 'libpango-1.0.so.0' <<<"$libs" || need+=(libpango-1.0-0)
grep -q 'libpangoft2-1.0.so.0' <<<"$libs" || need+=(libpangoft2-1.0-0)
grep -q 'libharfbuzz-subset.so.0' <<<"$libs" || need+=(libharfbuzz-subset0)

[ ${#need[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing from Debian: ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  exit 0
fi

echo "The test suite needs packages from Debian that are missing. Run, then try again:" >&2
echo "  sudo apt-get install -y ${need[*]}" >&2
exit 1
