#!/usr/bin/env bash
# Runs every JMH kernel benchmark (src/test/java/io/securenn/bench/*Bench.java) and prints a Markdown table of the
# results with each kernel's speed relative to its baseline measured in the same run.
#   scripts/jmh-report.sh [OUT.md] [JMH options]     e.g. scripts/jmh-report.sh docs/benchmarks/jmh.md -f 1
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-}"
[ $# -gt 0 ] && shift
csv="$here/target/jmh-result.csv"
"$here/scripts/jmh.sh" -rf csv -rff "$csv" "$@" 'io.securenn.bench.*Bench'
. "$here/scripts/find-jdk.sh"
securenn_find_jdk
table="$("$JAVA_HOME/bin/java" -cp "$here/target/test-classes:$here/target/classes" io.securenn.bench.JmhRatios "$csv")"
if [ -n "$out" ]; then printf '%s\n' "$table" >"$out"; echo "wrote $out"; else printf '%s\n' "$table"; fi
