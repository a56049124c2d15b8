#!/usr/bin/env bash
# bench-regression: a whole `regression` run over two baselines that list
# 200,000 failing files each, most of them changed (120,000 new failures,
# 120,000 fixed), next to the Python a user would write for the same job:
# load both with the json module and compute the new failures.
#
# In RUNS interleaved rounds it times (wall clock, CPU, peak RSS):
#   regression         the default report (lists capped, totals in full)
#   regression --full  every new and fixed file listed
#   python3            json.load both, new failures by (path, code)
# after checking that Python and regression count the same new failures,
# and prints the issue's goals: regression ≥ 2× faster than Python and
# under 100 MiB peak RSS, with --full too.
#
# Usage: scripts/bench-regression.sh [runs]   (default 5; needs python3)
set -euo pipefail
runs=${1:-5}
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/regression" ./cmd/regression
go run ./scripts/genbaseline -total 250000 -counts PARSE_ERROR=180000,VALIDATION_ERROR=20000 -out "$work/ref.json"
go run ./scripts/genbaseline -total 250000 -counts PARSE_ERROR=100000,VALIDATION_ERROR=100000 -offset 100000 -out "$work/new.json"
echo "baselines: $(du -h "$work/ref.json" | cut -f1) + $(du -h "$work/new.json" | cut -f1), 200000 failing files each"

# The user's script: load both, compute the new failures.
cat >"$work/new_failures.py" <<'EOF'
import json, sys
ref = json.load(open(sys.argv[1]))
new = json.load(open(sys.argv[2]))
failing = {(f["path"], f["code_name"]) for f in ref["files"]}
new_failures = [f for f in new["files"] if (f["path"], f["code_name"]) not in failing]
print(len(new_failures))
EOF

run_regression() { "$work/regression" --new "$work/new.json" --ref "$work/ref.json" --output "$work/report.json" --markdown "$work/report.md" >/dev/null 2>&1; }
run_full() { "$work/regression" --full --new "$work/new.json" --ref "$work/ref.json" --output "$work/full.json" --markdown "$work/full.md" >/dev/null 2>&1; }
run_python() { python3 "$work/new_failures.py" "$work/ref.json" "$work/new.json" >"$work/python.out"; }

# timed NAME FUNCTION EXPECTED-EXIT: one run, appended to $work/NAME.times
# as "wall cpu rss_kib".
timed() {
	local code=0
	/usr/bin/time -f '%e %U %S %M' -o "$work/t" bash -c "$(declare -f "$2"); work=$work; $2" || code=$?
	[ "$code" = "$3" ] || { echo "$1: exit code $code, want $3" >&2; exit 1; }
	tail -1 "$work/t" | awk '{ printf "%s %.2f %s\n", $1, $2 + $3, $4 }' >>"$work/$1.times"
}

# Warm the page cache, and check that both count the same new failures.
run_python
set +e; run_regression; code=$?; set -e
[ "$code" = 1 ] || { echo "regression: exit code $code, want 1 (the new baseline regresses)" >&2; exit 1; }
go_total=$(grep -o '"new_failures_total": [0-9]*' "$work/report.json" | grep -o '[0-9]*$')
[ "$go_total" = "$(cat "$work/python.out")" ] || { echo "new failures: regression $go_total, python $(cat "$work/python.out")" >&2; exit 1; }
echo "new failures: $go_total (regression and python agree); report $(du -h "$work/report.json" | cut -f1), --full $(run_full || true; du -h "$work/full.json" | cut -f1)"

for _ in $(seq "$runs"); do
	timed regression run_regression 1
	timed full run_full 1
	timed python run_python 0
done

# stats NAME: median wall, median CPU, peak RSS in MiB.
median() { sort -g | awk '{ a[NR] = $1 } END { print a[int((NR+1)/2)] }'; }
stats() {
	echo "$(cut -d' ' -f1 "$work/$1.times" | median) $(cut -d' ' -f2 "$work/$1.times" | median)" \
		"$(cut -d' ' -f3 "$work/$1.times" | sort -g | tail -1 | awk '{ printf "%.0f", $1/1024 }')"
}
read -r rw rc rm < <(stats regression)
read -r fw fc fm < <(stats full)
read -r pw pc pm < <(stats python)
printf '%-20s %8s %8s %10s\n' "median of $runs" "wall s" "CPU s" "peak RSS"
printf '%-20s %8s %8s %6s MiB\n' regression "$rw" "$rc" "$rm" "regression --full" "$fw" "$fc" "$fm" "python3 json" "$pw" "$pc" "$pm"
awk -v rw="$rw" -v rc="$rc" -v rm="$rm" -v fm="$fm" -v pw="$pw" -v pc="$pc" 'BEGIN {
  printf "regression vs python: %.1fx faster (wall), %.1fx (CPU); goal >= 2x: %s\n", pw/rw, pc/rc, (pw/rw >= 2 ? "met" : "MISSED")
  printf "regression peak RSS: %d MiB; goal < 100 MiB: %s\n", rm, (rm < 100 ? "met" : "MISSED")
  printf "regression --full peak RSS: %d MiB; goal < 100 MiB: %s\n", fm, (fm < 100 ? "met" : "MISSED") }'
