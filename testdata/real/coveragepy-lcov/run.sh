#!/bin/sh
# Run from a copy of src/ (see ../regenerate.sh); writes the outputs into "$OUT".
# Needs coverage.py 6.5.0 and pytest 7.2.1 (Debian bookworm: python3-coverage, python3-pytest) for /usr/bin/python3.
set -eu
PY=${PY:-/usr/bin/python3}
"$PY" -m coverage run --source=mypkg -m pytest -q -p no:cacheprovider tests > "$OUT/pytest.txt"
"$PY" -m coverage report > "$OUT/coverage-report.txt"
"$PY" -m coverage report -m --precision=2 > "$OUT/coverage-report-precision2.txt"
"$PY" -m coverage lcov -o "$OUT/coverage.lcov"
"$PY" -m coverage xml -o "$OUT/coverage.xml"
"$PY" -m coverage json -o "$OUT/coverage.json"
"$PY" -m coverage --version | head -1 > "$OUT/coverage-version.txt"
"$PY" -m pytest --version > "$OUT/pytest-version.txt" 2>&1
"$PY" --version > "$OUT/python-version.txt"
rm -f .coverage
