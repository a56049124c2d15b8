#!/bin/sh
# Run from a copy of src/ (see ../regenerate.sh); writes the outputs into "$OUT".
# Needs gosec v2.30.0: go install github.com/securego/gosec/v2/cmd/gosec@v2.30.0
set -u
export GOTOOLCHAIN=local GOFLAGS=-mod=mod
GOSEC=${GOSEC:-gosec}
# gosec exits 1 when it reports issues; that is expected here.
"$GOSEC" -quiet -fmt sarif -out "$OUT/gosec.sarif" ./... || true
"$GOSEC" -quiet -track-suppressions -fmt sarif -out "$OUT/gosec-track-suppressions.sarif" ./... || true
"$GOSEC" -quiet -track-suppressions -fmt json -out "$OUT/gosec-track-suppressions.json" ./... || true
"$GOSEC" -quiet -fmt text -out "$OUT/gosec.txt" ./... || true
# A "go install" build reports "Version: dev"; the module version is in the binary's build info.
go version -m "$(command -v "$GOSEC")" | grep -E "^\s+mod\s" > "$OUT/gosec-version.txt"
