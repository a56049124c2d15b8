#!/bin/sh
# docker-cold-start.sh: time the action's container from `docker run` to exit
# with one trivial gate, as the runner starts it (workspace mounted, inputs
# in the environment, no network needed). Prints each run and the median.
#
#   scripts/docker-cold-start.sh [IMAGE] [RUNS]
set -eu
IMAGE=${1:-gonogo-action:e2e}
RUNS=${2:-5}
ws=$(mktemp -d)
trap 'docker run --rm --network none -v "$ws:/d" --entrypoint /bin/rm "$IMAGE" -rf /d/.github /d/gate_results.json /d/gate_sign_off.md >/dev/null 2>&1; rm -rf "$ws"' EXIT
mkdir -p "$ws/.github"
printf 'version: 1\ngates:\n  - id: smoke\n    run: "true"\n' > "$ws/.github/gonogo.yml"
times=""
i=0
while [ "$i" -lt "$RUNS" ]; do
  start=$(date +%s%N)
  docker run --rm --network none --workdir /github/workspace -v "$ws:/github/workspace" \
    -e GITHUB_ACTIONS=true -e GITHUB_WORKSPACE=/github/workspace -e GITHUB_EVENT_NAME=push \
    "$IMAGE" >/dev/null
  end=$(date +%s%N)
  ms=$(( (end - start) / 1000000 ))
  echo "run $((i + 1)): ${ms} ms"
  times="$times $ms"
  i=$((i + 1))
done
# shellcheck disable=SC2086 # times is a space-separated list, split on purpose
median=$(printf '%s\n' $times | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
echo "median cold start: ${median} ms over $RUNS runs"
