# Sourced by the project's scripts: securenn_find_jdk sets JAVA_HOME to a JDK >= 25 or explains what to install.
securenn_find_jdk() {
  local cand v
  for cand in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25* /usr/lib/jvm/*25* /usr/lib/jvm/*; do
    [ -n "$cand" ] && [ -x "$cand/bin/java" ] && [ -x "$cand/bin/javac" ] || continue
    v=$("$cand/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)
    if [ -n "$v" ] && [ "$v" -ge 25 ] 2>/dev/null; then
      export JAVA_HOME="$cand"
      return 0
    fi
  done
  echo "securenn: error: no JDK 25 found (set JAVA_HOME, or install Temurin 25: https://adoptium.net, e.g. apt install temurin-25-jdk)" >&2
  return 1
}

# Sourced likewise before running Maven: MAVEN_OPTS for Maven's own JVM (no sun.misc.Unsafe warning from the guava
# that Maven ships, none of jansi's stray ANSI reset codes), and in SECURENN_MVN_COLOR the colour option: Maven's
# output carries no escape codes unless it goes to a terminal (file descriptor $1, default 1: stdout).
securenn_maven_env() {
  local fd="${1:-1}"
  case " ${MAVEN_OPTS:-} " in
    *" --sun-misc-unsafe-memory-access="*) ;;
    *) export MAVEN_OPTS="${MAVEN_OPTS:+$MAVEN_OPTS }--sun-misc-unsafe-memory-access=allow" ;;
  esac
  case " ${MAVEN_OPTS:-} " in
    *" -Djansi.noreset="*) ;;
    *) export MAVEN_OPTS="$MAVEN_OPTS -Djansi.noreset=true" ;;
  esac
  if [ -t "$fd" ]; then SECURENN_MVN_COLOR="-Dstyle.color=auto"; else SECURENN_MVN_COLOR="-Dstyle.color=never"; fi
}
