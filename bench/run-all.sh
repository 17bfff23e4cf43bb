#!/usr/bin/env bash
# Runs the bench scenarios against the in-memory baseline and against the platform (embedded stack) on this
# machine, one server at a time: the server pinned to one core (taskset -c $SERVER_CPU; the platform's
# PostgreSQL and Elasticsearch children inherit it), the generator pinned to the other (taskset -c $GEN_CPU).
# Reports (text + JSON) go to $OUT (default bench/results/<UTC timestamp>/). Every scenario is bounded in
# count and time and talks to 127.0.0.1 only.
#
#   bench/run-all.sh                      # everything (about 25-40 minutes on the 2-core machine)
#   QUICK=1 bench/run-all.sh              # shorter windows, fewer connections (smoke run)
#   SCENARIOS="direct throughput" TARGETS=platform bench/run-all.sh
#   PROFILE=1 bench/run-all.sh            # + a JFR recording of the platform during the direct run, summarised
set -euo pipefail
cd "$(dirname "$0")/.."

STAMP=$(date -u +%Y%m%d-%H%M%S)
OUT=${OUT:-bench/results/$STAMP}
SCENARIOS=${SCENARIOS:-"direct throughput group receipts connections"}
TARGETS=${TARGETS:-"baseline platform"}
SERVER_CPU=${SERVER_CPU:-1}
GEN_CPU=${GEN_CPU:-0}
BASELINE_PORT=${BASELINE_PORT:-18080}
PLATFORM_PORT=${PLATFORM_PORT:-18090}
DATA=${DATA:-/tmp/parley-bench-$STAMP}
QUICK=${QUICK:-0}
PROFILE=${PROFILE:-0}
RATE=${RATE:-1000}             # direct: docs/design.md, section 8 measures end-to-end latency at 1,000 msg/s
GROUP_RATE=${GROUP_RATE:-253}  # group of 100: 253 msg/s x 99 = 25,047 deliveries/s offered (docs/design.md, section 8: >= 25,000)
CONNECTIONS=${CONNECTIONS:-10000}
THROUGHPUT_START=${THROUGHPUT_START:-50}  # the ramp's first rate (x1.25 per step)
PLATFORM_JAR=${PLATFORM_JAR:-gateway/target/parley-gateway.jar}
# /actuator/prometheus is for ADMIN only: the platform creates its admin from CHAT_SECURITY_ADMIN_PASSWORD at
# start-up, and the generator's scraper signs in with the same password (PARLEY_ADMIN_PASSWORD); set it yourself
# when DATA holds a platform that already has its admin
PARLEY_ADMIN_PASSWORD=${PARLEY_ADMIN_PASSWORD:-bench-admin-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')}
export PARLEY_ADMIN_PASSWORD CHAT_SECURITY_ADMIN_PASSWORD=$PARLEY_ADMIN_PASSWORD
# every scenario signs up its own users from this one address, and the throughput ramp sends up to 50 msg/s
# per account: lift the abuse limits (chat.limits.*) for the bench, never in production
export CHAT_LIMITS_SIGN_UPS=${CHAT_LIMITS_SIGN_UPS:-1000000} CHAT_LIMITS_SENDS_PER_SECOND=${CHAT_LIMITS_SENDS_PER_SECOND:-100000} \
       CHAT_LIMITS_SEND_BURST=${CHAT_LIMITS_SEND_BURST:-100000}
PLATFORM_JAR_SOURCE=$PLATFORM_JAR
BENCH_JAR=bench/target/bench.jar

if [ "$QUICK" = 1 ]; then
  WARM=${WARM:-5}; DUR=${DUR:-10}; STEP=${STEP:-6}; CONNECTIONS=${CONNECTIONS_QUICK:-2000}; HOLD=${HOLD:-15}
else
  WARM=${WARM:-15}; DUR=${DUR:-30}; STEP=${STEP:-10}; HOLD=${HOLD:-30}
fi
DRAIN=${DRAIN:-120}            # seconds to wait for projections to catch up after a run

mkdir -p "$OUT"
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" || true
if [ ! -f "$BENCH_JAR" ] || [ ! -f "$PLATFORM_JAR" ]; then
  ./mvnw -q -pl gateway,bench -am package -DskipTests
fi

# run from copies: a rebuild during the run must not swap the jars under the running JVMs
RUN_JARS=$(mktemp -d /tmp/parley-bench-jars.XXXXXX)
cp "$BENCH_JAR" "$RUN_JARS/bench.jar"
BENCH_JAR=$RUN_JARS/bench.jar
if [[ " $TARGETS " == *" platform "* ]]; then cp "$PLATFORM_JAR" "$RUN_JARS/parley-gateway.jar"; PLATFORM_JAR=$RUN_JARS/parley-gateway.jar; fi

SPLIT="server: taskset -c $SERVER_CPU (with its child processes); generator: taskset -c $GEN_CPU; $(nproc --all) cores online"
GEN=(taskset -c "$GEN_CPU" java -Xms256m -Xmx2g -XX:+UseParallelGC -jar "$BENCH_JAR")
SERVER_PID=""

log() { printf '\n### %s %s\n' "$(date -u +%H:%M:%S)" "$*" | tee -a "$OUT/run-all.log"; }

stop_server() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 90); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 1; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=""
}
trap 'stop_server; rm -rf "$RUN_JARS"' EXIT

wait_http() { # url seconds
  local t=0
  until curl -s -o /dev/null "$1"; do
    sleep 1; t=$((t + 1))
    if [ "$t" -ge "$2" ] || ! kill -0 "$SERVER_PID" 2>/dev/null; then echo "not ready: $1" >&2; return 1; fi
  done
  echo "$t"
}

run() { # target-label url scenario extra-args...
  local label=$1 url=$2 scenario=$3; shift 3
  case " $SCENARIOS " in *" $scenario "*) ;; *) return 0 ;; esac
  log "$scenario against $label"
  "${GEN[@]}" "$scenario" --url="$url" --label="$label" --out="$OUT" --server-pid="$SERVER_PID" \
      --cpu-split="$SPLIT" --drain-seconds="$DRAIN" "$@" 2>&1 | tee -a "$OUT/run-all.log" | tee "$OUT/$scenario-$label.out" | grep -v '^\s*$' || true
}

scenarios() { # label url
  local label=$1 url=$2
  local jfr=()
  if [ "$PROFILE" = 1 ]; then jfr=(--jfr="$PWD/$OUT/$label-direct-window.jfr"); fi  # JFR over the measured window only
  run "$label" "$url" direct --pairs=50 --rate="$RATE" --warmup="$WARM" --duration="$DUR" "${jfr[@]}"
  run "$label" "$url" throughput --pairs=100 --start-rate="$THROUGHPUT_START" --factor=1.25 --warmup="$WARM" --step-seconds="$STEP" --max-steps=20
  run "$label" "$url" group --groups=1 --members=100 --rate="$GROUP_RATE" --warmup="$WARM" --duration="$DUR"
  run "$label" "$url" receipts --pairs=50 --rate="$RATE" --prefill-rate=500 --warmup="$WARM" --duration="$DUR"
  run "$label" "$url" connections --connections="$CONNECTIONS" --users=100 --connect-rate=500 --hold="$HOLD"
}

for target in $TARGETS; do
  case $target in
    baseline)
      log "starting the baseline on 127.0.0.1:$BASELINE_PORT (taskset -c $SERVER_CPU)"
      taskset -c "$SERVER_CPU" java -jar "$BENCH_JAR" baseline-server --port="$BASELINE_PORT" >"$OUT/baseline-server.log" 2>&1 &
      SERVER_PID=$!
      echo "baseline up after $(wait_http "http://127.0.0.1:$BASELINE_PORT/" 300) s" | tee -a "$OUT/run-all.log"
      scenarios baseline "http://127.0.0.1:$BASELINE_PORT"
      stop_server
      ;;
    platform)
      log "starting the platform on 127.0.0.1:$PLATFORM_PORT (taskset -c $SERVER_CPU), data in $DATA"
      taskset -c "$SERVER_CPU" java -jar "$PLATFORM_JAR" --server.port="$PLATFORM_PORT" --server.address=127.0.0.1 \
          --chat.data-dir="$DATA" --chat.search.start-timeout=600s --chat.postgres.start-timeout=300s \
          >"$OUT/platform-server.log" 2>&1 &
      SERVER_PID=$!
      echo "platform jar: $PLATFORM_JAR_SOURCE" | tee -a "$OUT/run-all.log"
      echo "platform up after $(wait_http "http://127.0.0.1:$PLATFORM_PORT/actuator/health" 900) s (first start, empty data dir)" | tee -a "$OUT/run-all.log"
      scenarios platform "http://127.0.0.1:$PLATFORM_PORT"
      stop_server
      ;;
  esac
done

latest() { ls -t "$OUT"/"$1"-*.json 2>/dev/null | head -1; }
if [ -n "$(latest direct-platform)" ] && [ -n "$(latest direct-baseline)" ]; then
  log "platform / baseline"
  args=(--platform="$(latest direct-platform)" --baseline="$(latest direct-baseline)")
  if [ -n "$(latest throughput-platform)" ] && [ -n "$(latest throughput-baseline)" ]; then
    args+=(--platform-throughput="$(latest throughput-platform)" --baseline-throughput="$(latest throughput-baseline)")
  fi
  "${GEN[@]}" compare "${args[@]}" --out="$OUT" | tee -a "$OUT/run-all.log"
fi
log "reports in $OUT"
