#!/usr/bin/env bash
# One fixed-rate fanout (1,000 members in one room) against a fresh instance of the given jar on its
# embedded Redis, app on CPU 0 and load on CPU 1, to compare builds on the same day (bench/notes.md).
# Usage: bench/ab-fanout.sh JAR LABEL [RATE]   (RATE in messages a second, default 300)
set -u
cd "$(dirname "$0")/.."
jar=$1; label=$2; rate=${3:-300}
data=$(mktemp -d)
ulimit -n "$(ulimit -Hn)"
taskset -c 0 java -jar "$jar" --server.port=8085 --management.server.port=0 --parley.embedded-redis.dir="$data" --parley.rooms.initial=fan \
  --parley.throttle.guests=10000000 --parley.throttle.tokens=10000000 --parley.throttle.handshakes=10000000 \
  --parley.throttle.connections-per-address=100000 > "$data/app.log" 2>&1 &
app=$!
trap 'kill $app 2>/dev/null; wait $app 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 60); do curl -sf localhost:8085/readyz > /dev/null && break; sleep 1; done
taskset -c 1 java -Xmx4g -jar bench/target/parley-bench.jar fanout --url http://127.0.0.1:8085 --room fan \
  --members 1000 --rate "$rate" --duration 6s --warmup 2s --prime 30s --results "$data/results.txt" > "$data/bench.out" 2>&1
echo "$label rate $rate: $(grep -o 'acked_per_s=[0-9.]*\|errors=[0-9]*\|dropped=[0-9]*\|p50_ms=[0-9.]*\|p99_ms=[0-9.]*' "$data/bench.out" | tr '\n' ' ')"
