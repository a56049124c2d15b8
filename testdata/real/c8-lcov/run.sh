#!/bin/sh
# Run from a copy of src/ (see ../regenerate.sh); writes the outputs into "$OUT".
# Needs node_modules with c8 12.0.0 (package.json) and Node.js (20.20.2 here).
set -eu
[ -d node_modules ] || npm install --no-audit --no-fund --no-package-lock
npx c8 --reporter=lcov --reporter=cobertura --reporter=json-summary --reporter=text-summary \
  --report-dir "$OUT" --temp-directory .c8-tmp node main.js > "$OUT/c8-stdout.txt"
# the lcov reporter also writes an HTML report; keep only lcov.info
rm -rf "$OUT/lcov-report" .c8-tmp
node -p 'require("./node_modules/c8/package.json").version' > "$OUT/c8-version.txt"
node --version > "$OUT/node-version.txt"
