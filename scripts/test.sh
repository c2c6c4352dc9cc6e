#!/usr/bin/env bash
# Runs the whole test suite with JDK 25 (the README's second command and .ci/run both call this).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$here/scripts/find-jdk.sh"
securenn_find_jdk || exit 1
cd "$here"
mvn -B -q package "$@" 2>&1 | grep -vE '^WARNING: .*(Unsafe|sun.misc|terminally deprecated|consider reporting)'
exit "${PIPESTATUS[0]}"
