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
# per-file / batch ≥ 30.
#
# The checker cache (--cache) is timed in the same rounds:
#   cached    per-file mode with --cache after 10 files changed (the cache
#             warm from the round before): ≤ 5 % of the full per-file run
# and, once, a checker whose executable changed (a byte appended), which
# must re-check every file; each cached baseline must equal a fresh full
# run's.
#
# With MEM=1 it also prints the peak RSS of batch runs over N files and
# over 10×N files holding as many failures, without and with the cache
# (memory flat in the number of files checked).
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

generate() { # generate DIR COUNT [EVERY]: one file in EVERY (default 3) fails
	local dir=$1 count=$2 every=${3:-3} i
	for ((i = 0; i < 30; i++)); do mkdir -p "$dir/d$i"; done
	for ((i = 0; i < count; i++)); do
		if ((i % every == 0)); then
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
# run_cached changes 10 files (a new content each round, verdicts flip),
# then runs per-file mode with the cache; the summary line goes to
# $work/cached.log.
round=0
run_cached() {
	local k
	round=$((round + 1))
	for ((k = 0; k < 10; k++)); do
		if (((k + round) % 2)); then
			printf 'goal: x\nERROR round %d\n' "$round" >"$work/tree/d0/f$((k * 30)).aether"
		else
			printf 'goal: x\nsteps: round %d\n' "$round" >"$work/tree/d0/f$((k * 30)).aether"
		fi
	done
	"$work/bin/parse-baseline" --checker "$work/bin/fastcheck {file}" --jobs "$JOBS" --no-progress --cache "$work/bench.cache" --output "$work/out-cached.json" "$work/tree" >"$work/cached.log"
}

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

# The cache: a first run checks everything; after 10 files change, a run
# re-checks those 10 and writes a fresh full run's baseline.
same_as_full() { # same_as_full BASELINE WHAT
	"$work/bin/parse-baseline" --checker "$work/bin/fastcheck {files}" --jobs "$JOBS" --no-progress --output "$work/out-full.json" "$work/tree" >/dev/null
	if ! cmp -s <(strip "$work/out-full.json") <(strip "$1"); then
		echo "$2: the cached baseline differs from a fresh full run" >&2
		diff <(strip "$work/out-full.json") <(strip "$1") | head -20 >&2
		exit 1
	fi
}
"$work/bin/parse-baseline" --checker "$work/bin/fastcheck {file}" --jobs "$JOBS" --no-progress --cache "$work/bench.cache" --output "$work/out-cached.json" "$work/tree" | grep -q "$N re-checked, 0 reused"
run_cached
grep -q "10 re-checked, $((N - 10)) reused" "$work/cached.log" || { echo "cache: want 10 files re-checked: $(cat "$work/cached.log")" >&2; exit 1; }
same_as_full "$work/out-cached.json" "10 files changed"
echo "cache agrees: after 10 changed files, 10 re-checked, $((N - 10)) reused, baseline = a fresh full run's"

# Rounds interleave the modes, so that a change of load on a shared
# machine weighs on all of them alike.
times=$work/times
for ((i = 0; i < RUNS; i++)); do
	for mode in xargs perfile batch cached; do
		t0=$(now)
		"run_$mode" >/dev/null 2>&1 || true
		t1=$(now)
		echo "$mode $(echo "$t1 - $t0" | bc -l)" >>"$times"
	done
done
x=$(awk '$1 == "xargs" {print $2}' "$times" | median)
p=$(awk '$1 == "perfile" {print $2}' "$times" | median)
b=$(awk '$1 == "batch" {print $2}' "$times" | median)
c=$(awk '$1 == "cached" {print $2}' "$times" | median)
grep -q "10 re-checked, $((N - 10)) reused" "$work/cached.log" || { echo "cache: want 10 files re-checked: $(cat "$work/cached.log")" >&2; exit 1; }
same_as_full "$work/out-cached.json" "cached rounds"

# A checker whose executable changed (one byte appended: the same program,
# another hash) re-checks every file.
cp "$work/bin/fastcheck" "$work/bin/fastcheck2" && printf '\0' >>"$work/bin/fastcheck2"
cp "$work/bench.cache" "$work/bench2.cache"
t0=$(now)
"$work/bin/parse-baseline" --checker "$work/bin/fastcheck2 {file}" --jobs "$JOBS" --no-progress --cache "$work/bench2.cache" --output "$work/out-cached2.json" "$work/tree" >"$work/cached2.log" 2>"$work/cached2.err"
t1=$(now)
k=$(echo "$t1 - $t0" | bc -l)
grep -q "$N re-checked, 0 reused" "$work/cached2.log" || { echo "checker changed: want every file re-checked: $(cat "$work/cached2.log")" >&2; exit 1; }
grep -q 'the checker changed (.*executable' "$work/cached2.err" || { echo "checker changed: no warning naming the executable: $(cat "$work/cached2.err")" >&2; exit 1; }
same_as_full "$work/out-cached2.json" "checker changed"

printf 'files: %d  jobs: %d  runs: %d (median)  cpus: %s  %s\n' "$N" "$JOBS" "$RUNS" "$(nproc)" "$(go version | awk '{print $3}')"
printf '%-10s %8.3f s\n' "xargs" "$x" "per-file" "$p" "batch" "$b"
printf '%-10s %8.3f s   (per-file, --cache, 10 files changed: 10 re-checked)\n' "cached" "$c"
printf '%-10s %8.3f s   (per-file, --cache, checker executable changed: %d re-checked, once)\n' "recheck" "$k" "$N"
printf 'per-file / xargs  = %.3f   (goal ≤ 1.05)\n' "$(echo "$p / $x" | bc -l)"
printf 'per-file / batch  = %.1f   (goal ≥ 30)\n' "$(echo "$p / $b" | bc -l)"
printf 'cached / per-file = %.2f %%  (goal ≤ 5 %%, target ≤ 2 %%)\n' "$(echo "100 * $c / $p" | bc -l)"

if [[ $MEM == 1 ]] && [[ -x /usr/bin/time ]]; then
	# 10×N files with as many failures as the N files of the tree: the
	# peak must grow with the failures listed, not with the files checked.
	generate "$work/big" "$((N * 10))" 30
	rss() { /usr/bin/time -f %M "$work/bin/parse-baseline" --checker "$work/bin/fastcheck {files}" --jobs "$JOBS" --no-progress --output "$work/out-mem.json" "$@" 2>&1 >/dev/null | tail -1; }
	small=$(rss "$work/tree")
	big=$(rss "$work/big")
	printf 'peak RSS, batch: %d files (%d failing) %s KiB, %d files (%d failing) %s KiB: ×%.2f for 10× the files (goal: flat)\n' \
		"$N" "$(((N + 2) / 3))" "$small" "$((N * 10))" "$(((N * 10 + 29) / 30))" "$big" "$(echo "$big / $small" | bc -l)"
	# With the cache: the first run (every file checked, the cache
	# written) and the second (every verdict reused).
	for t in tree big; do
		rm -f "$work/mem.cache"
		first=$(rss --cache "$work/mem.cache" "$work/$t")
		second=$(rss --cache "$work/mem.cache" "$work/$t")
		printf 'peak RSS, batch --cache: %d files %s KiB (first run), %s KiB (all reused); cache %d KiB\n' \
			"$(find "$work/$t" -type f | wc -l)" "$first" "$second" "$(($(stat -c %s "$work/mem.cache") / 1024))"
	done
fi
