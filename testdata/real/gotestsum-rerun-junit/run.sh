#!/bin/sh
# Run from a copy of src/ (see ../regenerate.sh); writes the outputs into "$OUT".
# Needs gotestsum v1.13.0 (go install gotest.tools/gotestsum@v1.13.0) and Go (go1.26.8 here).
set -u
export GOTOOLCHAIN=local GOFLAGS=-mod=mod
GOTESTSUM=${GOTESTSUM:-gotestsum}
rm -f pkg/ran-once
# exit 0: TestFlaky fails once and passes on the rerun, which gotestsum counts as a success.
"$GOTESTSUM" --format standard-quiet --no-color --junitfile junit.xml --rerun-fails=2 \
  --rerun-fails-report=rerun-report.txt --packages=./... -- -count=1 > "$OUT/gotestsum.txt" 2>&1
echo "exit status $?" >> "$OUT/gotestsum.txt"
mv junit.xml "$OUT/gotestsum-junit.xml"
mv rerun-report.txt "$OUT/rerun-report.txt"
go version -m "$(command -v "$GOTESTSUM")" | grep -E "^\s+mod\s" > "$OUT/gotestsum-version.txt"
