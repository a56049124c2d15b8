#!/bin/sh
# Run from a copy of src/ (see ../regenerate.sh); writes the outputs into "$OUT".
# Needs node_modules with the exact devDependencies of package.json (npm install).
set -u
[ -d node_modules ] || npm install --no-audit --no-fund --no-package-lock
# eslint exits 1 when it finds errors; that is expected here.
npx eslint -f @microsoft/eslint-formatter-sarif -o "$OUT/eslint.sarif" src || true
npx eslint -f json -o "$OUT/eslint.json" src || true
npx eslint -f stylish src > "$OUT/eslint-stylish.txt" || true
npx eslint --version > "$OUT/eslint-version.txt"
