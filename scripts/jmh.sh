#!/usr/bin/env bash
# Runs the JMH kernel benchmarks (src/test/java/io/securenn/bench): scripts/jmh.sh [JMH options] [regex]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$here/scripts/find-jdk.sh"
securenn_find_jdk || exit 1
cd "$here"
mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test \
  2>&1 | grep -vE '^WARNING: ' || true
exec "$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
  org.openjdk.jmh.Main "$@"
