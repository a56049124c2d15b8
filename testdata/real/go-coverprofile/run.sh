#!/bin/sh
# Run from a copy of src/ (see ../regenerate.sh); writes the outputs into "$OUT".
# Needs Go (go1.26.8 here); gcov2lcov v1.1.1 (go install github.com/jandelgado/gcov2lcov@v1.1.1) is optional.
set -eu
export GOTOOLCHAIN=local GOFLAGS=-mod=mod
go test -count=1 -coverprofile="$OUT/set.out" ./... > "$OUT/go-test-set.txt"
go test -count=1 -covermode=atomic -coverprofile="$OUT/atomic.out" ./... > "$OUT/go-test-atomic.txt"
go test -count=1 -coverpkg=./... -coverprofile="$OUT/coverpkg.out" ./... > "$OUT/go-test-coverpkg.txt"
for p in set atomic coverpkg; do
  go tool cover -func="$OUT/$p.out" > "$OUT/$p-func.txt"
done
go version > "$OUT/go-version.txt"
if command -v gcov2lcov >/dev/null 2>&1; then
  for p in set coverpkg; do
    gcov2lcov -infile "$OUT/$p.out" -outfile "$OUT/$p.lcov"
  done
  go version -m "$(command -v gcov2lcov)" | grep -E "^\s+mod\s" > "$OUT/gcov2lcov-version.txt"
fi
