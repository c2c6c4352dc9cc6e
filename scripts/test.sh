#!/usr/bin/env bash
# Runs the whole test suite with JDK 25 (the README's second command and .ci/run both call this). Arguments go to
# Maven as they are (e.g. -Dtest=FramedTransportTest). Ends with one line "N passed, N failed, N skipped" summed
# from Surefire's reports, and exits with Maven's exit code (non-zero on any failed test).
# The long-running tests (JUnit tag "long") are not part of it: scripts/test-long.sh runs those.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$here/scripts/find-jdk.sh"
securenn_find_jdk || exit 1
securenn_maven_env
cd "$here"
# this run's reports only: Surefire leaves those of earlier runs (other classes, other groups) in place
rm -f target/surefire-reports/TEST-*.xml
mvn -B -q "$SECURENN_MVN_COLOR" package "$@"
rc=$?
"$here/scripts/test-summary.sh" target/surefire-reports || [ "$rc" -ne 0 ] || rc=1
exit "$rc"
