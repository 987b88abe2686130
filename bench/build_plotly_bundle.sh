#!/usr/bin/env bash
# Build assets/vendor/plotly/plotly-nsps.min.js: plotly.js with only the trace types the
# dashboard draws (choropleth on a geo subplot, scatter, bar), for a small first page.
#
# Usage: bash bench/build_plotly_bundle.sh
# Needs node + npm (npm registry only). Builds in a temporary folder; node_modules is never
# written into the repository. The version is the one Dash would otherwise serve (the plotly.js
# inside the installed plotly Python package), so figures behave exactly as with the full bundle.
# Dash's dcc.Graph uses window.Plotly when it exists, and every .js file under assets/ is loaded
# before the Dash renderer starts, so the full bundle is then never requested.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
[[ -x "$ROOT/.venv/bin/python" ]] && PYTHON="$ROOT/.venv/bin/python"
VERSION="$("$PYTHON" -c 'from plotly.offline import get_plotlyjs_version as v; print(v())')"
OUT="$ROOT/assets/vendor/plotly"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

echo "building plotly.js $VERSION partial bundle (choropleth, scatter, bar) in $WORK" >&2
cd "$WORK"
npm init -y >/dev/null
npm install --no-audit --no-fund --silent "plotly.js@$VERSION" "esbuild@0.25" >/dev/null
cat > entry.js <<'JS'
// Only the trace types the dashboard's figures use (tests/unit/test_perf_contract.py checks).
var Plotly = require('plotly.js/lib/core');  // core includes scatter
Plotly.register([
  require('plotly.js/lib/bar'),
  require('plotly.js/lib/choropleth'),
]);
window.Plotly = Plotly;
JS
# --loader:.css=empty: core imports MapLibre's stylesheet, used only by map subplots we never draw.
npx esbuild entry.js --bundle --minify --format=iife --target=es2017 \
  --legal-comments=none --loader:.css=empty --define:process.env.NODE_ENV='"production"' --define:global=window \
  --banner:js="/*! plotly.js v$VERSION partial bundle (choropleth, scatter, bar) | MIT License | https://github.com/plotly/plotly.js */" \
  --outfile="$OUT/plotly-nsps.min.js"
# plotly.js's default topojsonURL is a CDN; point the default at the self-hosted copy, so no
# figure (dashboard, embed or image) can ever ask the CDN, with or without its own config.
sed -i 's#"https://cdn.plot.ly/un/"#"/assets/topojson/"#' "$OUT/plotly-nsps.min.js"
grep -q 'https://cdn.plot.ly' "$OUT/plotly-nsps.min.js" && { echo "CDN address left in the bundle" >&2; exit 1; }
cp node_modules/plotly.js/LICENSE "$OUT/LICENSE"
echo "$VERSION" > "$OUT/VERSION"
ls -l "$OUT" >&2
echo "gzipped: $(gzip -9c "$OUT/plotly-nsps.min.js" | wc -c) bytes" >&2
