#!/bin/sh
# Reproduce the samples of testdata/real from their src/ folders.
#
#   testdata/real/regenerate.sh [sample ...]     (default: every sample)
#
# Each sample's src/ is copied to $WORKDIR/<sample> (default /src/<sample>: the committed outputs were made there,
# and tools that record absolute paths record that one), its run.sh runs inside the copy with OUT=<sample>/out,
# then extract_figures.py rewrites <sample>/figures.json from the tool's own report.
# NODE_MODULES: optional node_modules folder holding the npm packages the samples pin (eslint@10.15.0,
# @microsoft/eslint-formatter-sarif@3.1.0, c8@12.0.0, jest@30.5.2, jest-junit@17.0.0); it is linked into each copy
# that has a package.json instead of running npm install there.
# The other tools must be on PATH; see README.md (Tools) for the versions and how to install them.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
WORKDIR=${WORKDIR:-/src}
if [ $# -eq 0 ]; then
  set -- $(cd "$HERE" && for d in */; do [ -f "$d/run.sh" ] && printf '%s\n' "${d%/}"; done)
fi
for s in "$@"; do
  d=$WORKDIR/$s
  rm -rf "$d"
  mkdir -p "$WORKDIR"
  cp -r "$HERE/$s/src" "$d"
  if [ -n "${NODE_MODULES:-}" ] && [ -f "$d/package.json" ]; then ln -s "$NODE_MODULES" "$d/node_modules"; fi
  rm -rf "$HERE/$s/out"
  mkdir -p "$HERE/$s/out"
  echo "== $s"
  (cd "$d" && OUT="$HERE/$s/out" sh "$HERE/$s/run.sh")
  python3 "$HERE/extract_figures.py" "$s" "$HERE/$s"
done
