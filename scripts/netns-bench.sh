#!/usr/bin/env bash
# Three hosts on one machine: runs the three securenn parties as separate processes in three network namespaces
# joined pairwise by veth links, over TLS, with each direction of each link shaped to a rate (tc tbf) and a one-way
# delay (tc netem where the kernel has it, else io.securenn.bench.DelayRelay, a delaying TCP relay in front of each
# listening party). Needs root and iproute2. The host's own interfaces are never touched: every link is created
# inside the namespaces, and the namespaces (with their links) are deleted on exit, failure, Ctrl-C or SIGTERM.
#
# usage: scripts/netns-bench.sh [options] -- SECURENN-ARGUMENTS...
#   --rate MBPS          rate per direction of each link in MB/s (10^6 B/s); 0 = unshaped (default 0)
#   --delay DELAY        added one-way delay per direction: 0, 29ms, 500us, 1s (default 0)
#   --delay-mechanism M  auto (netem if the kernel has it, else relay), netem or relay (default auto)
#   --keys DIR           the parties' p0.key p0.crt … p2.crt (made there with 'securenn keys' if missing)
#   --logs DIR           where the config, party and relay logs go (default: a new temporary directory)
#   --java JAVA --classpath CP --jvm-options "OPTS"   how to start the JVMs (default: JDK 25, target/securenn.jar)
# In the arguments, {party} becomes 0, 1 or 2 and {config} the cluster config this script writes. Example:
#   scripts/netns-bench.sh --rate 40 --delay 29ms -- bench worker --party {party} --config {config} \
#       --case A:inference:1 --runs 1 --warmup 0 --result /tmp/r.{party}.json
# Exit status: 0 if the three parties exited 0, else the first non-zero party status (2 for bad usage, 1 for a
# set-up failure). One line "netns mechanism: ..." on stdout says what produced the rate and the delay.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rate=0 delay=0 mech=auto keys="" logs="" java="" cp="" jvmopts=""
die() { echo "netns-bench: error: $*" >&2; exit "${2:-1}"; }
while [ $# -gt 0 ]; do
  case "$1" in
    --rate) rate="$2"; shift 2 ;;
    --delay) delay="$2"; shift 2 ;;
    --delay-mechanism) mech="$2"; shift 2 ;;
    --keys) keys="$2"; shift 2 ;;
    --logs) logs="$2"; shift 2 ;;
    --java) java="$2"; shift 2 ;;
    --classpath) cp="$2"; shift 2 ;;
    --jvm-options) jvmopts="$2"; shift 2 ;;
    --) shift; break ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1 (see --help)" 2 ;;
  esac
done
[ $# -gt 0 ] || die "no securenn arguments after -- (see --help)" 2
[ "$(id -u)" = 0 ] || die "needs root (network namespaces, tc)" 2
command -v ip >/dev/null && command -v tc >/dev/null || die "needs iproute2 (ip, tc)" 2
case "$mech" in auto|netem|relay) ;; *) die "--delay-mechanism must be auto, netem or relay" 2 ;; esac

# rate in MB/s -> bit/s; delay -> microseconds (both validated)
rate_bits=$(awk -v r="$rate" 'BEGIN { if (r !~ /^[0-9]+(\.[0-9]+)?$/) exit 1; printf "%.0f", r * 8e6 }') \
  || die "--rate must be a number of MB/s, got '$rate'" 2
delay_us=$(awk -v d="$delay" 'BEGIN {
  if (d == "0") { print 0; exit }
  if (match(d, /^[0-9]+(\.[0-9]+)?(us|ms|s)$/) == 0) exit 1
  n = d; sub(/(us|ms|s)$/, "", n); u = substr(d, length(n) + 1)
  printf "%.0f", n * (u == "us" ? 1 : u == "ms" ? 1000 : 1000000) }') \
  || die "--delay must be 0 or a number with us, ms or s, got '$delay'" 2

if [ -z "$java" ]; then
  . "$here/scripts/find-jdk.sh"
  securenn_find_jdk || exit 1
  java="$JAVA_HOME/bin/java"
fi
[ -n "$cp" ] || cp="$here/target/securenn.jar"
[ -n "$jvmopts" ] || jvmopts="-Xss16m -XX:+UseSerialGC --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED"
[ -e "${cp%%:*}" ] || die "no $cp: build first (./securenn --version or mvn -B -DskipTests package)" 2
[ -n "$logs" ] || logs="$(mktemp -d /tmp/securenn-netns.XXXXXX)"
mkdir -p "$logs"
[ -n "$keys" ] || keys="$logs/keys"
mkdir -p "$keys"
# shellcheck disable=SC2206
jvm=($jvmopts)

tag="snb$$"
ns=("$tag-p0" "$tag-p1" "$tag-p2")
addr=(10.77.0.1 10.77.0.2 10.77.0.3)
port=(7000 7001 7002)
pids=()
created=()

cleanup() {
  local code=$?
  trap - EXIT INT TERM
  if [ ${#pids[@]} -gt 0 ]; then
    kill "${pids[@]}" 2>/dev/null || true
    # whatever ignores SIGTERM for 10 s is killed; wait reaps them (a zombie would still answer kill -0)
    ( sleep 10; kill -9 "${pids[@]}" 2>/dev/null ) &
    local killer=$!
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
    kill "$killer" 2>/dev/null || true
  fi
  # deleting a namespace deletes its veth ends, and with them the peers in the other namespaces
  for n in "${created[@]}"; do ip netns del "$n" 2>/dev/null || true; done
  exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

for i in 0 1 2; do
  ip netns add "${ns[$i]}"
  created+=("${ns[$i]}")
  ip -n "${ns[$i]}" link set lo up
  ip -n "${ns[$i]}" addr add "${addr[$i]}/32" dev lo
done

# does this kernel have netem? (tried on a namespace's loopback, then removed)
have_netem=no
if tc -n "${ns[0]}" qdisc add dev lo root netem delay 1ms 2>/dev/null; then
  have_netem=yes
  tc -n "${ns[0]}" qdisc del dev lo root
fi
use=none
if [ "$delay_us" -gt 0 ]; then
  case "$mech" in
    netem) [ $have_netem = yes ] || die "netem is not available in this kernel (try --delay-mechanism relay)" 2; use=netem ;;
    relay) use=relay ;;
    auto) if [ $have_netem = yes ]; then use=netem; else use=relay; fi ;;
  esac
fi

# tbf: burst of 2 ms at the rate (at least 128 KiB: one GSO super-packet of a veth is up to 64 KiB), queue bounded
# at 20 ms of traffic
burst=$(awk -v b="$rate_bits" 'BEGIN { x = b / 8 * 0.002; if (x < 131072) x = 131072; printf "%.0f", x }')
shape() {   # namespace device
  if [ "$use" = netem ]; then
    tc -n "$1" qdisc add dev "$2" root handle 1: netem delay "${delay_us}us" limit 100000
    [ "$rate_bits" -gt 0 ] && tc -n "$1" qdisc add dev "$2" parent 1: handle 2: tbf rate "${rate_bits}bit" burst "$burst" latency 20ms
  elif [ "$rate_bits" -gt 0 ]; then
    tc -n "$1" qdisc add dev "$2" root tbf rate "${rate_bits}bit" burst "$burst" latency 20ms
  fi
  return 0
}
for pair in "0 1" "0 2" "1 2"; do
  read -r a b <<<"$pair"
  ip -n "${ns[$a]}" link add "v$a$b" type veth peer name "v$b$a" netns "${ns[$b]}"
  for side in "$a $b" "$b $a"; do
    read -r x y <<<"$side"
    ip -n "${ns[$x]}" link set "v$x$y" up
    ip -n "${ns[$x]}" route add "${addr[$y]}/32" dev "v$x$y" src "${addr[$x]}"
    shape "${ns[$x]}" "v$x$y"
  done
done

rate_txt="rate: unshaped veth"
[ "$rate_bits" -gt 0 ] && rate_txt="rate: tc tbf $rate MB/s on each direction of each link (burst $burst B, queue 20 ms)"
case "$use" in
  none) delay_txt="delay: none added (veth links only; not emulated)" ;;
  netem) delay_txt="delay: tc netem ${delay_us} us one-way on each direction of each link" ;;
  relay) delay_txt="delay: DelayRelay (user-space TCP relay in front of each listening party, netem unavailable) ${delay_us} us one-way on each direction of each link" ;;
esac
echo "netns mechanism: $rate_txt; $delay_txt"

# keys (made once) and the cluster config: with the relay, P0 and P1 listen on 127.0.0.1 and their relay on the
# namespace's address takes the links
if [ ! -f "$keys/p2.crt" ]; then
  "$java" "${jvm[@]}" -cp "$cp" io.securenn.cli.Main keys --out "$keys" \
      --hosts "${addr[0]}:${port[0]},${addr[1]}:${port[1]},${addr[2]}:${port[2]}" >"$logs/keys.out" 2>&1 \
    || die "securenn keys failed (see $logs/keys.out)"
fi
keys="$(cd "$keys" && pwd)"
config="$logs/cluster.properties"
{
  echo "# written by scripts/netns-bench.sh"
  for i in 0 1 2; do
    bind="${addr[$i]}"
    [ "$use" = relay ] && bind=127.0.0.1
    echo "party.$i.address = ${addr[$i]}:${port[$i]}"
    echo "party.$i.cert = $keys/p$i.crt"
    echo "party.$i.key = $keys/p$i.key"
    echo "party.$i.bind = $bind"
  done
} >"$config"

if [ "$use" = relay ]; then
  for i in 0 1; do   # P2 listens nowhere
    ip netns exec "${ns[$i]}" "$java" -Xss4m -cp "$cp" io.securenn.bench.DelayRelay --listen "${addr[$i]}:${port[$i]}" \
        --to "127.0.0.1:${port[$i]}" --delay "${delay_us}us" >"$logs/relay$i.out" 2>&1 &
    pids+=($!)
  done
fi

party_pids=()
for i in 0 1 2; do
  args=()
  for a in "$@"; do a="${a//\{party\}/$i}"; args+=("${a//\{config\}/$config}"); done
  ip netns exec "${ns[$i]}" "$java" "${jvm[@]}" -cp "$cp" io.securenn.cli.Main "${args[@]}" \
      >"$logs/p$i.out" 2>"$logs/p$i.err" &
  party_pids+=($!)
  pids+=($!)
done
status=0
for i in 0 1 2; do
  if wait "${party_pids[$i]}"; then :; else
    c=$?
    echo "P$i exited with status $c: $(grep -v '^WARNING' "$logs/p$i.err" | tail -1)"
    [ $status -ne 0 ] || status=$c
  fi
done
echo "party logs: $logs"
exit $status
