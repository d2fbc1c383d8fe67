#!/usr/bin/env bash
# The long versions of the reliability suite (docs/reliability.md): the soak for 30 minutes (or
# SOAK=<duration>, e.g. SOAK=10m) and the restart and fuzz scenarios repeated ROUNDS times (3), each
# round with a new fuzz seed. Every test prints its figures (lines starting "soak:", "redis-restart:",
# "protocol-fuzz:", "http-fuzz:"); they are collected in bench/target/reliability.txt.
# Usage: bench/reliability.sh
set -euo pipefail
cd "$(dirname "$0")/.."
soak=${SOAK:-30m}
rounds=${ROUNDS:-3}
out=bench/target/reliability.txt
mkdir -p bench/target
: > "$out"

run() {
  ./mvnw -B -ntp -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false "$@" verify \
    | tee -a bench/target/reliability.log \
    | grep -E '^(soak|redis-restart|protocol-fuzz|http-fuzz):|Tests run:.*Fail' | tee -a "$out"
}

echo "soak for $soak" | tee -a "$out"
run -Dit.test=SoakIT -Dparley.soak.duration="$soak"
for round in $(seq 1 "$rounds"); do
  echo "round $round" | tee -a "$out"
  run -Dit.test='RedisRestartIT,SubscriptionGapIT,ProtocolFuzzIT,HttpFuzzIT'
done
