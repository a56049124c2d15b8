#!/bin/sh
# Five independent 2-second gates must finish in about 2 s (parallel), not
# 10 s (serial). Prints the measured time and fails above the limit.
set -eu
limit_ms=${LIMIT_MS:-4000}
go test -run '^$' -bench BenchmarkFiveTwoSecondGates -benchtime 1x ./internal/gate | tee /dev/stderr |
	awk -v limit="$limit_ms" '/^BenchmarkFiveTwoSecondGates/ {
		ms = $3 / 1e6
		printf "five 2 s gates: %.0f ms (limit %d ms)\n", ms, limit
		if (ms > limit) exit 1
		found = 1
	}
	END { if (!found) exit 1 }'
