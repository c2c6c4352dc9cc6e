#!/usr/bin/env bash
# Runs only the long-running tests (JUnit tag "long", left out of scripts/test.sh by the pom's excludedTestGroups):
# DivisionTest's exhaustive case, one epoch of network A on real MNIST (MnistTrainingLongTest) and LongRunsTest.
# Fetches MNIST first if it is missing (scripts/fetch-mnist.sh, as the demo does). Arguments go to Maven as they
# are (e.g. -Dtest=LongRunsTest). Ends with one line "N passed, N failed, N skipped" and exits with Maven's exit
# code (non-zero on any failed test). Takes many minutes.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$here/scripts/find-jdk.sh"
securenn_find_jdk || exit 1
securenn_maven_env
cd "$here"
export SECURENN_DATA="${SECURENN_DATA:-$here/data}"
if [ ! -f "$SECURENN_DATA/mnist/t10k-labels-idx1-ubyte" ]; then
  "$here/scripts/fetch-mnist.sh" || { echo "test-long: error: could not fetch MNIST (see above; scripts/fetch-mnist.sh)" >&2; exit 3; }
fi
rm -f target/surefire-reports/TEST-*.xml
mvn -B -q "$SECURENN_MVN_COLOR" test -Dgroups=long -DexcludedTestGroups=none "$@"
rc=$?
"$here/scripts/test-summary.sh" target/surefire-reports || [ "$rc" -ne 0 ] || rc=1
exit "$rc"
