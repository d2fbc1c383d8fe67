#!/usr/bin/env bash
# Usage: bench/warm-connect.sh [PROFILE]
# Connect rate on one instance as its JIT warms: the app and its embedded Redis on CPU 0, the load on
# CPU 1; RUNS (default 3) idle runs of N (default 10,000) fresh guests each against the same instance,
# printing each run's connects/s, with the compiler's total time (jstat) before each run and the busy
# share of both cores, the app and Redis each second of the last run in $CORES (default
# /tmp/warm-connect-cores.txt). With PROFILE (an absolute path), async-profiler ($ASYNC_PROFILER: its
# libasyncProfiler.so) records the last run's CPU as collapsed stacks there.
# Env: APP (jar, default target/parley-*.jar), N, RUNS, CORES, JAVA_OPTS and APP_ARGS for the app.
set -u
cd "$(dirname "$0")/.."
profile=${1:-}
app_jar=${APP:-$(ls target/parley-*.jar | head -1)}
runs=${RUNS:-3}; n=${N:-10000}; cores=${CORES:-/tmp/warm-connect-cores.txt}
data=$(mktemp -d)
ulimit -n "$(ulimit -Hn)"
# shellcheck disable=SC2086
taskset -c 0 java ${JAVA_OPTS:-} -jar "$app_jar" --server.port=8080 --management.server.port=0 \
  --parley.embedded-redis.dir="$data" --parley.throttle.guests=10000000 --parley.throttle.tokens=10000000 \
  --parley.throttle.handshakes=10000000 --parley.throttle.connections-per-address=100000 \
  ${APP_ARGS:-} > "$data/app.log" 2>&1 &
app=$!
watch=
trap 'kill $app $watch 2>/dev/null; wait $app 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 60); do curl -sf localhost:8080/readyz > /dev/null && break; sleep 1; done
redis=$(cat "$data/redis.pid")
ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
# each second: cpu0 and cpu1 busy, the app's and Redis's CPU
watch_cores() {
  local hz prev_app prev_redis a r line
  hz=$(getconf CLK_TCK); prev_app=$(ticks $app); prev_redis=$(ticks "$redis")
  declare -A busy total
  while sleep 1; do
    line=$(date +%T)
    for c in 0 1; do
      read -r _ u ni s i w q sq _ < <(grep "^cpu$c " /proc/stat)
      b=$((u + ni + s + q + sq)); t=$((b + i + w))
      [ -n "${busy[$c]:-}" ] && line="$line cpu$c=$(( (b - ${busy[$c]}) * 100 / (t - ${total[$c]}) ))%"
      busy[$c]=$b; total[$c]=$t
    done
    a=$(ticks $app); r=$(ticks "$redis")
    echo "$line app=$(( (a - prev_app) * 100 / hz ))% redis=$(( (r - prev_redis) * 100 / hz ))%"
    prev_app=$a; prev_redis=$r
  done
}
for run in $(seq "$runs"); do
  echo "compiler before run $run: $(jstat -compiler $app | tail -1 | awk '{print $1 " methods, " $4 " s"}')"
  last=$([ "$run" = "$runs" ] && echo 1 || echo 0)
  if [ $last = 1 ]; then watch_cores > "$cores" & watch=$!; fi
  [ $last = 1 ] && [ -n "$profile" ] && jcmd $app JVMTI.agent_load "$ASYNC_PROFILER" "\"start,event=itimer,interval=1ms\"" > /dev/null
  taskset -c 1 java -Xmx4g -jar bench/target/parley-bench.jar idle --connections "$n" --samples 1 --server-pid $app \
    --results "$data/run$run.txt" 2>&1 | grep -o 'connect_per_s=[0-9.]*' | sed "s/^/run $run: /"
  [ $last = 1 ] && [ -n "$profile" ] && jcmd $app JVMTI.agent_load "$ASYNC_PROFILER" "\"stop,file=$profile,collapsed\"" > /dev/null
done
echo "compiler after: $(jstat -compiler $app | tail -1 | awk '{print $1 " methods, " $4 " s"}')"
