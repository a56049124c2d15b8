#!/bin/sh
# Run from a copy of src/ (see ../regenerate.sh); writes the outputs into "$OUT".
# Needs node_modules with jest 30.5.2 and jest-junit 17.0.0 (package.json) and Node.js (20.20.2 here).
set -u
[ -d node_modules ] || npm install --no-audit --no-fund --no-package-lock
# exit 1: tests failed; expected. --json is jest's own machine-readable summary.
JEST_JUNIT_OUTPUT_DIR=. JEST_JUNIT_OUTPUT_NAME=junit.xml npx jest --ci --reporters=default --reporters=jest-junit \
  --json --outputFile=jest-results.json > "$OUT/jest.txt" 2>&1
echo "exit status $?" >> "$OUT/jest.txt"
mv junit.xml "$OUT/jest-junit.xml"
mv jest-results.json "$OUT/jest-results.json"
npx jest --version > "$OUT/jest-version.txt"
node -p 'require("./node_modules/jest-junit/package.json").version' > "$OUT/jest-junit-version.txt"
