#!/usr/bin/env bash
# Serving benchmark: GET /v1/recommendations/{user}?k=20 over HTTP against the model store, driven
# by wrk at several concurrency levels. Starts the server (io.hyperrec.bench.ServingBenchmark from
# tests/target/benchmarks.jar), warms it up, runs wrk per level, reads the server-side latency
# histogram from /metrics before and after each level, prints a table and stops the server.
#
#   tests/bench/serving.sh                  # trained Beauty model if present, else random Beauty-size
#   tests/bench/serving.sh --model random   # random 22,363 users x 12,101 items, dim 51
#   DURATION=60s CONNECTIONS="1 2 4 8 16" tests/bench/serving.sh
#
# Arguments go to ServingBenchmark (--help lists them). Environment: DURATION (30s per level),
# WARMUP (10s), CONNECTIONS ("1 4 16"), THREADS (2: wrk threads, at most one per connection),
# PORT (18080), K (20), JAVA_HEAP (2g), JAVA_OPTS (extra JVM flags), PROFILE (1: a Flight Recorder
# profile of the server over the measured levels, summarised at the end and kept in
# tests/target/serving-profile.jfr).
# Needs wrk (apt-get install -y wrk) and curl; builds the bench jar when it is missing.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
jar="$root/tests/target/benchmarks.jar"
lua="$root/tests/bench/serving.lua"
DURATION="${DURATION:-30s}"
WARMUP="${WARMUP:-10s}"
CONNECTIONS="${CONNECTIONS:-1 4 16}"
THREADS="${THREADS:-2}"
PORT="${PORT:-18080}"
export K="${K:-20}"

command -v wrk >/dev/null || { echo "serving.sh: wrk not found (apt-get install -y wrk)" >&2; exit 1; }
command -v curl >/dev/null || { echo "serving.sh: curl not found" >&2; exit 1; }
if [ ! -f "$jar" ]; then
  echo "serving.sh: building $jar" >&2
  (cd "$root" && mvn -B -q -o -Pbench -pl tests package -DskipTests)
fi

work="$(mktemp -d -t hyperrec-serving-XXXXXX)"
log="$work/server.log"
export USERS_FILE="$work/users.txt"
profiling=()
if [ "${PROFILE:-0}" = 1 ]; then
  # Debug information between safepoints: samples land on the right inlined method.
  profiling=(-XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints)
fi
java "${profiling[@]}" --add-modules jdk.incubator.vector -XX:+UseParallelGC "-Xmx${JAVA_HEAP:-2g}" ${JAVA_OPTS:-} \
  -cp "$jar" io.hyperrec.bench.ServingBenchmark --port "$PORT" --users-file "$USERS_FILE" "$@" \
  >"$log" 2>&1 &
pid=$!
cleanup() {
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "serving.sh: starting the server (pid $pid, log $log)"
for _ in $(seq 1 900); do
  grep -q '^READY' "$log" && break
  if ! kill -0 "$pid" 2>/dev/null; then
    cat "$log"
    echo "serving.sh: the server exited before it was ready" >&2
    exit 1
  fi
  sleep 1
done
grep -q '^READY' "$log" || { cat "$log"; echo "serving.sh: server not ready after 900 s" >&2; exit 1; }
grep -v 'Using incubator modules' "$log" | sed 's/^/  server: /'
url="http://127.0.0.1:$PORT"
curl -fsS "$url/health" | sed 's/^/  health: /'
echo

ticks="$(getconf CLK_TCK)"
proc_cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
machine() { awk '/^cpu /{busy=$2+$3+$4+$7+$8+$9; print busy, busy+$5+$6}' /proc/stat; }

# Server-side latency of the recommendation route between two /metrics scrapes:
# "<count> <mean ms> <p50 bucket ms> <p99 bucket ms> <share <= 5 ms>" (buckets: upper bounds).
server_hist() {
  awk -v route='route="/v1/recommendations/{user}"' '
    function val(line,  a, n) { n = split(line, a, " "); return a[n] + 0 }
    function le(line) {
      if (match(line, /le="[^"]+"/)) return substr(line, RSTART + 4, RLENGTH - 5)
      return ""
    }
    /^hyperrec_http_request_duration_seconds/ && index($0, route) {
      if ($0 ~ /_bucket\{/) key = le($0)
      else if ($0 ~ /_count\{/) key = "count"
      else if ($0 ~ /_sum\{/) key = "sum"
      else next
      if (FNR == NR) { before[key] = val($0) } else {
        after[key] = val($0)
        if ($0 ~ /_bucket\{/) order[++nb] = key
      }
    }
    END {
      count = after["count"] - before["count"]
      if (count <= 0) { print "0 nan nan nan nan"; exit }
      mean = (after["sum"] - before["sum"]) / count * 1000
      p50 = "nan"; p99 = "nan"; le5 = "nan"
      for (i = 1; i <= nb; i++) {
        k = order[i]; f = (after[k] - before[k]) / count
        b = (k == "+Inf") ? "inf" : sprintf("%g", k * 1000)
        if (p50 == "nan" && f >= 0.5) p50 = b
        if (p99 == "nan" && f >= 0.99) p99 = b
        if (k != "+Inf" && k + 0 == 0.005) le5 = sprintf("%.4f", f)
      }
      printf "%d %.3f %s %s %s\n", count, mean, p50, p99, le5
    }' "$1" "$2"
}

echo "load: $(uptime)"
echo "warm-up: wrk -t2 -c4 -d$WARMUP"
wrk -t2 -c4 -d"$WARMUP" -s "$lua" "$url" >"$work/warmup.txt"
grep RESULT "$work/warmup.txt" | sed 's/^/  /'

if [ "${PROFILE:-0}" = 1 ]; then
  jcmd "$pid" JFR.start name=bench settings=profile filename="$work/server.jfr" >/dev/null
  echo "profiling the server (JFR, settings=profile) over the measured levels"
fi

rows=()
for c in $CONNECTIONS; do
  t=$(( c < THREADS ? c : THREADS ))
  echo
  echo "level: $c connection(s), $t thread(s), $DURATION   [load: $(cut -d' ' -f1-3 /proc/loadavg)]"
  curl -fsS "$url/metrics" >"$work/m0"
  cpu0="$(proc_cpu)"; read -r mb0 mt0 <<<"$(machine)"
  wrk -t"$t" -c"$c" -d"$DURATION" --latency -s "$lua" "$url" >"$work/wrk-$c.txt"
  cpu1="$(proc_cpu)"; read -r mb1 mt1 <<<"$(machine)"
  curl -fsS "$url/metrics" >"$work/m1"
  sed 's/^/  wrk: /' "$work/wrk-$c.txt" | grep -v RESULT
  line="$(grep '^RESULT' "$work/wrk-$c.txt")"
  get() { sed -n "s/.* $1=\([0-9.]*\).*/\1/p" <<<" $line"; }
  req="$(get requests)"; dur="$(get duration_us)"
  errors=$(( $(get connect) + $(get read) + $(get write) + $(get status) + $(get timeout) ))
  read -r scount smean sp50 sp99 sle5 <<<"$(server_hist "$work/m0" "$work/m1")"
  cores="$(awk -v a="$cpu0" -v b="$cpu1" -v t="$ticks" -v d="$dur" 'BEGIN{printf "%.2f", (b-a)/t/(d/1e6)}')"
  busy="$(awk -v b0="$mb0" -v b1="$mb1" -v t0="$mt0" -v t1="$mt1" -v n="$(nproc)" \
      'BEGIN{ if (t1 > t0) printf "%.2f", (b1-b0)/(t1-t0)*n; else print "nan" }')"
  row="$(awk -v c="$c" -v t="$t" -v req="$req" -v dur="$dur" -v err="$errors" \
      -v p50="$(get p50_us)" -v p90="$(get p90_us)" -v p99="$(get p99_us)" -v p999="$(get p999_us)" \
      -v mx="$(get max_us)" -v sc="$scount" -v sm="$smean" -v s50="$sp50" -v s99="$sp99" -v s5="$sle5" \
      -v cores="$cores" -v busy="$busy" 'BEGIN{
        printf "%5d %3d %9.0f %8.2f %8.2f %8.2f %8.2f %8.1f %7d | %8s %7s %7s %7s | %6s %6s",
          c, t, req/(dur/1e6), p50/1000, p90/1000, p99/1000, p999/1000, mx/1000, err,
          sm, "<=" s50, "<=" s99, s5, cores, busy }')"
  echo "  => $row"
  rows+=("$row")
done

if [ "${PROFILE:-0}" = 1 ]; then
  jcmd "$pid" JFR.stop name=bench >/dev/null
  mkdir -p "$root/tests/target"
  cp "$work/server.jfr" "$root/tests/target/serving-profile.jfr"
  echo
  echo "=== Server profile over the measured levels ==="
  java -cp "$jar" io.hyperrec.bench.JfrProfile "$root/tests/target/serving-profile.jfr" 30
fi

echo
echo "=== Serving top-$K over HTTP (wrk, $DURATION per level; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)) ==="
grep -E '^(model|published|recorded|in process)' "$log" || true
printf "%5s %3s %9s %8s %8s %8s %8s %8s %7s | %8s %7s %7s %7s | %6s %6s\n" \
  conns thr "req/s" "p50 ms" "p90 ms" "p99 ms" "p99.9" "max ms" errors \
  "srv mean" "srv p50" "srv p99" "<=5ms" "srvCPU" "busy"
for r in "${rows[@]}"; do echo "$r"; done
cat <<'NOTE'
Client-side latency is wrk's (closed loop: each connection waits for its answer, so queueing
under overload shows as lower throughput rather than as latency; no coordinated-omission
correction). srv columns: the server's own histogram of the route (/metrics, Prometheus buckets
0.5/1/2.5/5/10 ms...; p50/p99 are bucket upper bounds), handler time only. srvCPU: cores used by
the server process; busy: cores busy on the whole machine (server + wrk + anything else running).
NOTE
