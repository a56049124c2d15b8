#!/bin/sh
# Execute phase of the two-phase test pair, a stand-in for
# `aether.py --json-status FILE...` running files that parsed. The first
# directive a file holds decides (status lines name no phase: the pass
# does):
#   silent        the runner says nothing about the file
#   call quantum  not implemented (24)
#   fail          a service is missing at run time (E_RUNTIME_…)
#   budget        the interpreter's own time budget ran out (23)
#   unsigned      the plugin loader refuses it, with only the generic
#                 code 1 and words
# Usage: exec.sh LOG FILE...; LOG receives the files it was given.
log=$1
shift
for f in "$@"; do
  printf '%s\n' "$f" >> "$log"
  if grep -q '^[[:space:]]*silent' "$f"; then
    continue
  fi
  for d in 'call quantum' fail budget unsigned; do
    n=$(grep -n "^[[:space:]]*$d" "$f" | head -n 1 | cut -d: -f1)
    [ -n "$n" ] && break
  done
  case "$n:$d" in
    :*) printf '{"ok":true,"code":0,"file":"%s"}\n' "$f" ;;
    *:call\ quantum) printf '{"ok":false,"code":24,"code_name":"UNSUPPORTED_FEATURE","file":"%s","message":"quantum teleport: not implemented","line":%s}\n' "$f" "$n" ;;
    *:fail) printf '{"ok":false,"code":21,"code_name":"E_RUNTIME_SERVICE_MISSING","file":"%s","message":"service planner missing at line %s","line":%s}\n' "$f" "$n" "$n" ;;
    *:budget) printf '{"ok":false,"code":23,"file":"%s","message":"step exceeded its 5s budget","line":%s}\n' "$f" "$n" ;;
    *:unsigned) printf '{"ok":false,"code":1,"file":"%s","message":"plugin refused: signature missing","line":%s}\n' "$f" "$n" ;;
  esac
done
exit 0
