#!/usr/bin/env bash
# Refresh the vendored front-end files under src/vangnet/core/static/vendor/ from npm.
#
# Pinned versions live below; bump them here, run `make vendor-static`, check the result in a
# browser (and `make test`, which runs the Playwright + axe checks) and commit the changed files.
# Packages are fetched with `npm pack` into a temporary directory: no node_modules, no
# package.json and no lock file end up in the repository.
set -euo pipefail

UTRECHT_CSS_VERSION="9.0.4"     # @utrecht/component-library-css
THEME_TOKENS_VERSION="7.4.1"    # @nl-design-system-unstable/voorbeeld-design-tokens, EUPL-1.2 (theme class: .voorbeeld-theme)
HTMX_VERSION="2.0.11"           # htmx.org

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="$ROOT/src/vangnet/core/static/vendor"

command -v npm >/dev/null || { echo "vendor-static: npm is required" >&2; exit 1; }

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

fetch() {  # fetch PACKAGE@VERSION DIR: unpack the published tarball into $WORK/DIR
  local spec="$1" dir="$2" tarball
  tarball="$(cd "$WORK" && npm pack --silent "$spec" | tail -n 1)"
  mkdir -p "$WORK/$dir"
  tar -xzf "$WORK/$tarball" -C "$WORK/$dir" --strip-components=1
}

fetch "@utrecht/component-library-css@$UTRECHT_CSS_VERSION" utrecht-css
fetch "@nl-design-system-unstable/voorbeeld-design-tokens@$THEME_TOKENS_VERSION" theme-tokens
fetch "htmx.org@$HTMX_VERSION" htmx

# The token file must define the class that base.html puts on <html>.
grep -q '^\.voorbeeld-theme {' "$WORK/theme-tokens/dist/theme.css" || {
  echo "vendor-static: dist/theme.css of the voorbeeld design tokens no longer defines .voorbeeld-theme" >&2
  exit 1
}

rm -rf "$DEST/utrecht" "$DEST/htmx"
mkdir -p "$DEST/utrecht" "$DEST/htmx"
install -m 0644 "$WORK/utrecht-css/dist/index.css" "$DEST/utrecht/component-library.css"
install -m 0644 "$WORK/utrecht-css/LICENSE.md" "$DEST/utrecht/LICENSE-component-library.md"
install -m 0644 "$WORK/theme-tokens/dist/theme.css" "$DEST/utrecht/design-tokens.css"
install -m 0644 "$WORK/theme-tokens/LICENSE.md" "$DEST/utrecht/LICENSE-design-tokens.md"
install -m 0644 "$WORK/htmx/dist/htmx.min.js" "$DEST/htmx/htmx.min.js"
install -m 0644 "$WORK/htmx/LICENSE" "$DEST/htmx/LICENSE"

cat >"$DEST/VERSIONS" <<EOF
# Vendored by scripts/vendor-static.sh; do not edit the files below by hand.
@utrecht/component-library-css $UTRECHT_CSS_VERSION  dist/index.css -> utrecht/component-library.css  (EUPL-1.2)
@nl-design-system-unstable/voorbeeld-design-tokens $THEME_TOKENS_VERSION  dist/theme.css -> utrecht/design-tokens.css  (EUPL-1.2)
htmx.org $HTMX_VERSION  dist/htmx.min.js -> htmx/htmx.min.js  (0BSD)
EOF

echo "vendor-static: updated $DEST"
cat "$DEST/VERSIONS"
