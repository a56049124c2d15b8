#!/bin/sh
# Run from a copy of src/ (see ../regenerate.sh); writes the outputs into "$OUT".
# Needs pytest 7.2.1 (Debian bookworm python3-pytest) for /usr/bin/python3.
set -u
PY=${PY:-/usr/bin/python3}
# exit 1: a test failed; expected.
"$PY" -m pytest -p no:cacheprovider -o junit_suite_name=sample --junitxml=junit.xml -rA tests > "$OUT/pytest.txt"
echo "exit status $?" >> "$OUT/pytest.txt"
mv junit.xml "$OUT/pytest-junit.xml"
"$PY" -m pytest --version > "$OUT/pytest-version.txt" 2>&1
