#!/bin/sh
# Run from a copy of src/ (see ../regenerate.sh); writes the outputs into "$OUT".
# Needs staticcheck 2026.2.2 (0.8.2): go install honnef.co/go/tools/cmd/staticcheck@v0.8.2
set -u
export GOTOOLCHAIN=local GOFLAGS=-mod=mod
STATICCHECK=${STATICCHECK:-staticcheck}
# staticcheck exits 1 when it reports problems; that is expected here.
"$STATICCHECK" -show-ignored -f sarif ./... > "$OUT/staticcheck-show-ignored.sarif" || true
"$STATICCHECK" -show-ignored -f json ./... > "$OUT/staticcheck-show-ignored.json" || true
"$STATICCHECK" ./... > "$OUT/staticcheck.txt" || true
"$STATICCHECK" -version > "$OUT/staticcheck-version.txt"
go version > "$OUT/go-version.txt"
