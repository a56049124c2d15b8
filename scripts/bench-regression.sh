#!/usr/bin/env bash
# bench-regression: time and peak memory of one whole `regression` run over
# two baselines that list 200,000 failing files each (the README's figure).
# Goal: under 1 s and under 300 MiB on a 2-core machine.
#   scripts/bench-regression.sh [runs]
set -euo pipefail
runs=${1:-5}
cd "$(dirname "$0")/.."
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
go build -o "$work/regression" ./cmd/regression
go run ./scripts/genbaseline -total 250000 -counts PARSE_ERROR=180000,VALIDATION_ERROR=20000 -out "$work/ref.json"
go run ./scripts/genbaseline -total 250000 -counts PARSE_ERROR=177000,VALIDATION_ERROR=23000 -offset 1000 -out "$work/new.json"
echo "baselines: $(du -h "$work/ref.json" | cut -f1) + $(du -h "$work/new.json" | cut -f1), 200000 files each"
for i in $(seq "$runs"); do
  set +e
  /usr/bin/time -f '%e %M' -o "$work/time.$i" "$work/regression" --new "$work/new.json" --ref "$work/ref.json" \
    --output "$work/report.json" --markdown "$work/report.md" >/dev/null 2>&1
  code=$?
  set -e
  [ "$code" = 1 ] || { echo "unexpected exit code $code (want 1: the new baseline regresses)" >&2; exit 1; }
done
grep -hv "^Command" "$work"/time.* | sort -n | awk -v n="$runs" '
  { t[NR] = $1; if ($2 > m) m = $2 }
  END { printf "regression, %d runs: median %.2f s, best %.2f s, peak RSS %.0f MiB\n", n, t[int((n+1)/2)], t[1], m/1024 }'
