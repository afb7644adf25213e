#!/usr/bin/env bash
# Onboarding latency benchmark: items.new append -> the new item served by the model store, in the
# embedded runtime, with the offline tagger and with the LLM tagger against an in-JVM
# OpenAI-wire server answering after each configured delay (io.hyperrec.bench.OnboardingLatencyBenchmark).
#
#   tests/bench/onboarding.sh                                   # 100 items at 4/s; delays 0,250,1000 ms
#   tests/bench/onboarding.sh --items 200 --rate 8 --llm-delays-ms 0,500
#
# Builds tests/target/benchmarks.jar when it is missing.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
jar="$root/tests/target/benchmarks.jar"
if [ ! -f "$jar" ]; then
  echo "onboarding.sh: building $jar" >&2
  (cd "$root" && mvn -B -q -Pbench -pl tests -am package -DskipTests)
fi
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}" OPENBLAS_THREAD_TIMEOUT="${OPENBLAS_THREAD_TIMEOUT:-4}"
exec java --add-modules jdk.incubator.vector -XX:+UseParallelGC "-Xmx${JAVA_HEAP:-4g}" ${JAVA_OPTS:-} \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$jar" io.hyperrec.bench.OnboardingLatencyBenchmark "$@" \
  2> >(grep --line-buffered -v 'Using incubator modules' >&2)
