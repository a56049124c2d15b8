#!/bin/sh
# Parse phase of the two-phase test pair, a stand-in for
# `aether.py --check --json-status FILE`: a file fails to parse when it uses
# the legacy "intent:" form or its braces do not balance. One file a process.
f=$1
n=$(grep -n '^[[:space:]]*intent:' "$f" | head -n 1 | cut -d: -f1)
if [ -n "$n" ]; then
  printf '{"ok":false,"code":20,"code_name":"PARSE_ERROR","file":"%s","phase":"parse","message":"Parse error line %s: legacy intent: (use goal:)","line":%s}\n' "$f" "$n" "$n"
  exit 1
fi
open=$(tr -cd '{' < "$f" | wc -c)
close=$(tr -cd '}' < "$f" | wc -c)
if [ $((open)) -ne $((close)) ]; then
  printf '{"ok":false,"code":20,"code_name":"E_PARSE_UNBALANCED","file":"%s","phase":"parse","message":"unbalanced braces: %s open, %s closed"}\n' "$f" $((open)) $((close))
  exit 1
fi
printf '{"ok":true,"code":0,"code_name":"SUCCESS","file":"%s","phase":"parse"}\n' "$f"
