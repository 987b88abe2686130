#!/usr/bin/env bash
# Build assets/vendor/plotly/plotly-nsps.min.js: plotly.js with only what the dashboard draws
# (choropleth on a geo subplot, scatter, bar; legend, colour bar, annotations, shapes, hover,
# mode bar), for a small first page.
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
CONTENTS="choropleth, scatter, bar; no country-name lookup, no extra projections"

# Replace TEXT by NEW in FILE, and stop if TEXT is not there (a new plotly.js moved it).
patch_source() {
  TEXT="$2" NEW="$3" perl -0777 -pi -e \
    '$n += s/\Q$ENV{TEXT}\E/$ENV{NEW}/g; END { exit($n ? 0 : 1) }' "$1" \
    || { echo "not found in $1: $2" >&2; exit 1; }
}

echo "building plotly.js $VERSION partial bundle ($CONTENTS) in $WORK" >&2
cd "$WORK"
npm init -y >/dev/null
npm install --no-audit --no-fund --silent "plotly.js@$VERSION" "esbuild@0.25" >/dev/null
SRC=node_modules/plotly.js/src

# Core registers every layout component; drop those no figure uses (range slider and selector,
# menus, sliders, images, error bars, 3-D annotations). Nothing else requires them.
for component in annotations3d images updatemenus sliders rangeslider rangeselector errorbars; do
  patch_source "$SRC/core.js" "    require('./components/$component'),"$'\n' ""
done
# A choropleth drawn from our own GeoJSON (locationmode "geojson-id") needs no world topojson;
# plotly.js fetches it for any locationmode. Only the other modes (ISO-3, …) look it up now.
patch_source "$SRC/plots/geo/geo.js" "if (trace.locationmode) {" \
  "if (trace.locationmode && trace.locationmode !== 'geojson-id') {"

# Stubs for modules only other location modes and projections need: country-name lookup
# (locationmode "country names") and d3-geo-projection (projections beyond d3-geo's; ours is
# mercator, which d3-geo has).
mkdir stubs
cat > stubs/country-iso-search.js <<'JS'
// locationmode "country names" is never used: no name resolves, plotly logs it and skips it.
exports.COUNTRIES = [];
exports.createLookup = function () { return { lookupAlpha3: function () { return undefined; } }; };
JS
echo '// Only d3-geo projections (mercator) are drawn.' > stubs/d3-geo-projection.js

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
  --alias:country-iso-search=./stubs/country-iso-search.js \
  --alias:d3-geo-projection=./stubs/d3-geo-projection.js \
  --legal-comments=none --loader:.css=empty --define:process.env.NODE_ENV='"production"' --define:global=window \
  --banner:js="/*! plotly.js v$VERSION partial bundle ($CONTENTS) | MIT License | https://github.com/plotly/plotly.js */" \
  --outfile="$OUT/plotly-nsps.min.js"
# plotly.js's default topojsonURL is a CDN; point the default at the self-hosted copy, so no
# figure (dashboard, embed or image) can ever ask the CDN, with or without its own config.
sed -i 's#"https://cdn.plot.ly/un/"#"/assets/topojson/"#' "$OUT/plotly-nsps.min.js"
grep -q 'https://cdn.plot.ly' "$OUT/plotly-nsps.min.js" && { echo "CDN address left in the bundle" >&2; exit 1; }
# A brotli-11 copy, which the server sends instead of compressing the file itself (app.py:
# quality 11 takes seconds, too long at request time; 0.34 MB instead of 0.37 MB at quality 9).
"$PYTHON" - "$OUT/plotly-nsps.min.js" <<'PY'
import sys
from pathlib import Path

import brotli

bundle = Path(sys.argv[1])
Path(f"{bundle}.br").write_bytes(brotli.compress(bundle.read_bytes(), quality=11))
PY
cp node_modules/plotly.js/LICENSE "$OUT/LICENSE"
echo "$VERSION" > "$OUT/VERSION"
ls -l "$OUT" >&2
echo "gzipped: $(gzip -9c "$OUT/plotly-nsps.min.js" | wc -c) bytes; brotli: $(wc -c < "$OUT/plotly-nsps.min.js.br") bytes" >&2
