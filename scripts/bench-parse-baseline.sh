#!/usr/bin/env bash
# Reproducible parse-baseline benchmark.
#
# Generates N files (default 2,700; a third hold a parse error), then times,
# in RUNS interleaved rounds (median reported):
#   xargs     find -print0 | xargs -0 -n1 -P$JOBS fastcheck   (the reference)
#   per-file  parse-baseline --checker 'fastcheck {file}'      (one process per file)
#   batch     parse-baseline --checker 'fastcheck {files}'     (one process per batch)
# after checking that per-file mode, batch mode and the checker's own status
# lines agree file by file,
# and prints the ratios the issue sets: per-file / xargs ≤ 1.05 and
# per-file / batch ≥ 30. With MEM=1 it also prints the peak RSS of batch
# runs over N and 10×N files (memory flat in the number of files).
#
# Usage: scripts/bench-parse-baseline.sh   (env: N, JOBS, RUNS, MEM)
set -euo pipefail

N=${N:-2700}
JOBS=${JOBS:-$(nproc)}
RUNS=${RUNS:-5}
MEM=${MEM:-0}

root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

(cd "$root" && go build -o "$work/bin/parse-baseline" ./cmd/parse-baseline && go build -o "$work/bin/fastcheck" ./scripts/fastcheck)

generate() { # generate DIR COUNT
	local dir=$1 count=$2 i
	for ((i = 0; i < count; i++)); do
		mkdir -p "$dir/d$((i % 30))"
		if ((i % 3 == 0)); then
			printf 'goal: x\nERROR here\n' >"$dir/d$((i % 30))/f$i.aether"
		else
			printf 'goal: x\nsteps: y\n' >"$dir/d$((i % 30))/f$i.aether"
		fi
	done
}
generate "$work/tree" "$N"

now() { date +%s.%N; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }


run_xargs() { find "$work/tree" -name '*.aether' -print0 | xargs -0 -n1 -P"$JOBS" "$work/bin/fastcheck"; }
run_perfile() { "$work/bin/parse-baseline" --checker "$work/bin/fastcheck {file}" --jobs "$JOBS" --no-progress --output "$work/out-perfile.json" "$work/tree"; }
run_batch() { "$work/bin/parse-baseline" --checker "$work/bin/fastcheck {files}" --jobs "$JOBS" --no-progress --output "$work/out-batch.json" "$work/tree"; }

# Warm the page cache and check the verdicts: per-file mode, batch mode and
# the checker's own status lines (collected by xargs, then ingested) must
# agree file by file.
run_xargs >"$work/verdicts.jsonl" 2>/dev/null || true
run_perfile >/dev/null
run_batch >/dev/null
"$work/bin/parse-baseline" --statuses "$work/verdicts.jsonl" --no-progress --output "$work/out-own.json" "$work/tree" >/dev/null
strip() { grep -v '"checker"\|"timestamp"\|"duration_sec"' "$1"; }
for mode in batch own; do
	if ! cmp -s <(strip "$work/out-perfile.json") <(strip "$work/out-$mode.json"); then
		echo "per-file and $mode baselines differ" >&2
		diff <(strip "$work/out-perfile.json") <(strip "$work/out-$mode.json") | head -20 >&2
		exit 1
	fi
done
echo "verdicts agree file by file: per-file = batch = the checker's own ($(grep -c . "$work/verdicts.jsonl") status lines)"

# Rounds interleave the modes, so that a change of load on a shared
# machine weighs on all of them alike.
times=$work/times
for ((i = 0; i < RUNS; i++)); do
	for mode in xargs perfile batch; do
		t0=$(now)
		"run_$mode" >/dev/null 2>&1 || true
		t1=$(now)
		echo "$mode $(echo "$t1 - $t0" | bc -l)" >>"$times"
	done
done
x=$(awk '$1 == "xargs" {print $2}' "$times" | median)
p=$(awk '$1 == "perfile" {print $2}' "$times" | median)
b=$(awk '$1 == "batch" {print $2}' "$times" | median)

printf 'files: %d  jobs: %d  runs: %d (median)  cpus: %s  %s\n' "$N" "$JOBS" "$RUNS" "$(nproc)" "$(go version | awk '{print $3}')"
printf '%-10s %8.3f s\n' "xargs" "$x" "per-file" "$p" "batch" "$b"
printf 'per-file / xargs  = %.3f   (goal ≤ 1.05)\n' "$(echo "$p / $x" | bc -l)"
printf 'per-file / batch  = %.1f   (goal ≥ 30)\n' "$(echo "$p / $b" | bc -l)"

if [[ $MEM == 1 ]] && [[ -x /usr/bin/time ]]; then
	generate "$work/big" "$((N * 10))"
	rss() { /usr/bin/time -f %M "$work/bin/parse-baseline" --checker "$work/bin/fastcheck {files}" --jobs "$JOBS" --no-progress --output "$work/out-mem.json" "$1" 2>&1 >/dev/null | tail -1; }
	printf 'peak RSS, batch: %d files %s KiB, %d files %s KiB\n' "$N" "$(rss "$work/tree")" "$((N * 10))" "$(rss "$work/big")"
fi
