#!/usr/bin/env bash
# Usage: bench/profile.sh private|rooms|storm RATE [PROFILE]
# One fixed-rate run against a fresh instance (app and its Redis on CPU 0, load on CPU 1): prints the
# bench's result, the CPU the JVM, Redis and the load used over 20 s inside the prime (from DELAY s
# after the connects, default 25), and Redis's per-command figures. With PROFILE (an absolute path),
# attaches async-profiler ($ASYNC_PROFILER: its libasyncProfiler.so) for that window and writes
# collapsed stacks: of CPU time by default, or of EVENT (lock, alloc, ...) at INTERVAL (default 1ms).
# storm: STORM_N (default 10000) clients connect at once 3 s after 50 members start chatting at RATE
# in the lobby (STORM_ARGS: more options, e.g. --handshake-concurrency); use DELAY=1 PRIME=0s DURATION=40s
# for a window over the storm.
# Env: APP (jar, default target/parley-*.jar), PRIME (default 60s), DURATION (default 10s), JAVA_OPTS and
# APP_ARGS for the app.
set -u
cd "$(dirname "$0")/.."
scenario=$1; rate=$2; profile=${3:-}
app_jar=${APP:-$(ls target/parley-*.jar | head -1)}
data=$(mktemp -d)
ulimit -n "$(ulimit -Hn)"
rooms=$(seq -s, -f 'bench-%g' 0 999)
# shellcheck disable=SC2086
# the per-address throttles off: every load client comes from 127.0.0.1
taskset -c 0 java ${JAVA_OPTS:-} -jar "$app_jar" --server.port=8080 --management.server.port=0 --parley.embedded-redis.dir="$data" \
  --parley.rooms.initial="$rooms" --parley.throttle.guests=10000000 --parley.throttle.tokens=10000000 \
  --parley.throttle.handshakes=10000000 --parley.throttle.connections-per-address=100000 \
  ${APP_ARGS:-} > "$data/app.log" 2>&1 &
app=$!
trap 'kill $app 2>/dev/null; wait $app 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 60); do curl -sf localhost:8080/readyz > /dev/null && break; sleep 1; done
redis=$(cat "$data/redis.pid")
case "$scenario" in
  rooms) args="--rooms 1000 --members 10" ;;
  storm) args="--connections ${STORM_N:-10000} --members 50 --room lobby ${STORM_ARGS:-}" ;;
  *) args="--pairs 5000" ;;
esac
# shellcheck disable=SC2086
taskset -c 1 java -Xmx4g -jar bench/target/parley-bench.jar "$scenario" $args --rate "$rate" --duration "${DURATION:-10s}" \
  --warmup 2s --prime "${PRIME:-60s}" --results "$data/results.txt" > "$data/bench.out" 2>&1 &
bench=$!
until grep -q connected "$data/bench.out"; do
  kill -0 $bench 2>/dev/null || { echo "the load failed before connecting:"; tail -5 "$data/bench.out"; exit 1; }
  sleep 1
done
sleep "${DELAY:-25}"
ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
lib=${ASYNC_PROFILER:-}
[ -n "$profile" ] && jcmd $app JVMTI.agent_load "$lib" "\"start,event=${EVENT:-itimer},interval=${INTERVAL:-1ms}\"" > /dev/null
s0=$(ticks $app); r0=$(ticks "$redis"); b0=$(ticks $bench); t0=$(date +%s.%N)
sleep 20
s1=$(ticks $app); r1=$(ticks "$redis"); b1=$(ticks $bench); t1=$(date +%s.%N)
[ -n "$profile" ] && jcmd $app JVMTI.agent_load "$lib" "\"stop,file=$profile,collapsed\"" > /dev/null
wait $bench
grep -o 'acked_per_s=[0-9.]*\|errors=[0-9]*\|p50_ms=[0-9.]*\|p99_ms=[0-9.]*\|storm_[a-z_]*=[^ ]*' "$data/bench.out" | tr '\n' ' '
ticks_per_s=$(getconf CLK_TCK)
python3 -c "d=$t1-$t0; print(f' jvm {($s1-$s0)/d/$ticks_per_s*100:.0f}% redis {($r1-$r0)/d/$ticks_per_s*100:.0f}% load {($b1-$b0)/d/$ticks_per_s*100:.0f}%')"
port=$(ss -ltnp | grep "pid=$redis," | awk '{print $4}' | sed 's/.*://' | head -1)
# redis-cli may not be installed: Redis also reads inline commands over a plain TCP connection
exec 3<>"/dev/tcp/127.0.0.1/$port"
printf 'INFO commandstats\r\nQUIT\r\n' >&3
tr -d '\r' <&3 | grep -E 'evalsha|publish|xadd' | cut -d, -f1-3
