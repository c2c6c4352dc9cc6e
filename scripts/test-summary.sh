#!/usr/bin/env bash
# Prints one line "N passed, N failed, N skipped", counted exactly from Surefire's reports (DIR/TEST-*.xml, default
# target/surefire-reports of the project; "failed" counts failures and errors) by scripts/TestSummary.java.
# Exits 1 if a test failed, else 0. scripts/test.sh and scripts/test-long.sh end with it.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ -z "${JAVA_HOME:-}" ]; then
  . "$here/scripts/find-jdk.sh"
  securenn_find_jdk || exit 2
fi
exec "$JAVA_HOME/bin/java" -XX:TieredStopAtLevel=1 -Xshare:auto "$here/scripts/TestSummary.java" "${1:-$here/target/surefire-reports}"
