#!/usr/bin/env bash
# Runs every JMH kernel benchmark (src/test/java/io/securenn/bench/*Bench.java) and writes a Markdown report: the
# machine, then each result with its speed relative to its baseline measured in the same run (JmhRatios).
#   scripts/jmh-report.sh [OUT.md] [JMH options]       e.g. scripts/jmh-report.sh docs/benchmarks/jmh.md -f 1
#   scripts/jmh-report.sh --from-csv FILE.csv[,MORE.csv...] [OUT.md]
#                                                       only the report, from earlier runs' CSVs (-rf csv)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
csv="$here/target/jmh-result.csv"
run=yes
if [ "${1:-}" = --from-csv ]; then csv="$2"; run=no; shift 2; fi
out="${1:-}"
[ $# -gt 0 ] && shift
if [ $run = yes ]; then
  "$here/scripts/jmh.sh" -rf csv -rff "$csv" "$@" 'io.securenn.bench.*Bench'
else
  (cd "$here" && mvn -q -B test-compile 2>&1 | grep -vE '^WARNING: ' || true)
fi
. "$here/scripts/find-jdk.sh"
securenn_find_jdk
report() {
  echo "# JMH kernel benchmarks"
  echo
  echo "Each kernel beside a simple baseline measured in the same run (scripts/jmh-report.sh; sources in"
  echo "src/test/java/io/securenn/bench). Speed vs baseline above 1: faster than the baseline. On a shared machine the"
  echo "absolute scores move with the load; the ratios much less. Sample-time benchmarks (mode sample) also show their"
  echo "median, and their speed is the ratio of medians; a baseline without a parameter (e.g. the TLS provider) serves"
  echo "every value of it."
  echo
  echo '```'
  echo "date: $(date -u -Iseconds)"
  IFS=, read -ra csvs <<<"$csv"
  for f in "${csvs[@]}"; do echo "CSV $(basename "$f") written $(date -u -Iseconds -r "$f")"; done
  echo "nproc: $(nproc)"
  lscpu 2>/dev/null | grep -E '^(Model name|CPU\(s\)|Thread|Core|L2|L3)' | sed 's/  */ /g; s/^/lscpu: /' || true
  echo "jdk: $("$JAVA_HOME/bin/java" -version 2>&1 | head -2 | tail -1)"
  echo "load average (1, 5, 15 min) when the report was written: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a)"
  echo '```'
  echo
  "$JAVA_HOME/bin/java" -cp "$here/target/test-classes:$here/target/classes" io.securenn.bench.JmhRatios "${csvs[@]}"
}
# hand-written notes below a "<!-- notes -->" line of an existing report are kept
notes=""
if [ -n "$out" ] && [ -f "$out" ]; then notes="$(sed -n '/^<!-- notes -->$/,$p' "$out")"; fi
if [ -n "$out" ]; then
  { report; if [ -n "$notes" ]; then echo; printf '%s\n' "$notes"; fi; } >"$out.tmp" && mv "$out.tmp" "$out"
  echo "wrote $out"
else
  report
fi
