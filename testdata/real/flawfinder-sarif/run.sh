#!/bin/sh
# Run from a copy of src/ (see ../regenerate.sh); writes the outputs into "$OUT".
# Needs flawfinder 2.0.19 (Debian bookworm package flawfinder).
set -u
flawfinder --sarif . > "$OUT/flawfinder.sarif"
flawfinder . > "$OUT/flawfinder.txt"
flawfinder --neverignore . > "$OUT/flawfinder-neverignore.txt"
flawfinder --version > "$OUT/flawfinder-version.txt"
