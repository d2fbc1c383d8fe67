#!/usr/bin/env bash
# Usage: bench/cpu-per-delivery.sh [RATE] [MEMBERS]   (defaults: 75 msgs/s into 1,000 members)
# CPU-seconds per million deliveries, one instance against two on one Redis, in one run (issue 28):
# a fanout at a fixed rate into one room, the members split across the instances when there are two.
# Everything server-side (the instances and their Redis) on CPU 0, the load on CPU 1; the CPU of the
# server processes and Redis is read from /proc over 20 s of the measured window.
set -u
cd "$(dirname "$0")/.."
rate=${1:-75}; members=${2:-1000}
app_jar=${APP:-$(ls target/parley-*.jar | head -1)}
ulimit -n "$(ulimit -Hn)"
unthrottled="--parley.throttle.guests=10000000 --parley.throttle.tokens=10000000 --parley.throttle.handshakes=10000000 --parley.throttle.connections-per-address=100000"
ticks() { local sum=0; for p in "$@"; do sum=$((sum + $(awk '{print $14+$15}' "/proc/$p/stat"))); done; echo $sum; }
hz=$(getconf CLK_TCK)

run() { # run INSTANCES
  local n=$1 data apps=() urls="" redis
  data=$(mktemp -d)
  # shellcheck disable=SC2086
  taskset -c 0 java -jar "$app_jar" --server.port=8080 --management.server.port=0 --parley.embedded-redis.dir="$data" \
    --parley.embedded-redis.port=6395 --parley.rooms.initial=cpu $unthrottled > "$data/a.log" 2>&1 &
  apps+=($!); urls="http://127.0.0.1:8080"
  for _ in $(seq 60); do curl -sf localhost:8080/readyz > /dev/null && break; sleep 1; done
  if [ "$n" = 2 ]; then
    # shellcheck disable=SC2086
    taskset -c 0 java -jar "$app_jar" --server.port=8081 --management.server.port=0 --spring.data.redis.host=127.0.0.1 \
      --spring.data.redis.port=6395 $unthrottled > "$data/b.log" 2>&1 &
    apps+=($!); urls="$urls,http://127.0.0.1:8081"
    for _ in $(seq 60); do curl -sf localhost:8081/readyz > /dev/null && break; sleep 1; done
  fi
  redis=$(cat "$data/redis.pid")
  taskset -c 1 java -Xmx4g -jar bench/target/parley-bench.jar fanout --room cpu --url "$urls" --members "$members" \
    --rate "$rate" --duration 40s --warmup 2s --prime 60s --results "$data/results.txt" > "$data/bench.out" 2>&1 &
  local bench=$!
  until grep -q connected "$data/bench.out"; do kill -0 $bench 2>/dev/null || { tail -5 "$data/bench.out"; return 1; }; sleep 1; done
  sleep 70
  local s0 r0 t0 s1 r1 t1
  s0=$(ticks "${apps[@]}"); r0=$(ticks "$redis"); t0=$(date +%s.%N)
  sleep 20
  s1=$(ticks "${apps[@]}"); r1=$(ticks "$redis"); t1=$(date +%s.%N)
  wait $bench
  local result
  result=$(grep -o 'acked_per_s=[0-9.]*\|delivered_per_s=[0-9.]*\|lost=[0-9]*\|errors=[0-9]*\|p50_ms=[0-9.]*\|p99_ms=[0-9.]*' "$data/bench.out" | tr '\n' ' ')
  python3 - "$n" "$result" "$s0" "$s1" "$r0" "$r1" "$t0" "$t1" "$hz" <<'PY'
import sys
n, result, s0, s1, r0, r1, t0, t1, hz = sys.argv[1:]
d = float(t1) - float(t0)
fields = dict(kv.split('=') for kv in result.split())
deliveries = float(fields['delivered_per_s'])
apps = (int(s1) - int(s0)) / int(hz) / d
redis = (int(r1) - int(r0)) / int(hz) / d
per_million = (apps + redis) / deliveries * 1e6
print(f"{n} instance(s): {result}| deliveries {deliveries:,.0f}/s; CPU: instances {apps*100:.0f} %, redis {redis*100:.0f} %;"
      f" {per_million:.2f} CPU-s per million deliveries")
PY
  kill "${apps[@]}" 2>/dev/null; wait "${apps[@]}" 2>/dev/null; rm -rf "$data"
}

run 1
run 2
