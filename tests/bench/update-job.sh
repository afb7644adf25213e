#!/usr/bin/env bash
# OnlineUpdateJob throughput benchmark (whole process: embedded Kafka + Flink MiniCluster with
# RocksDB state in one JVM). Arguments go to io.hyperrec.bench.UpdateJobBenchmark; --help lists
# them. Examples:
#
#   tests/bench/update-job.sh                                   # 1,000,000 interactions; 2x256, 1x256, 2x1
#   tests/bench/update-job.sh --interactions 200000 --runs 2x256 --profile
#
# Environment: JAVA_HEAP (4g), JAVA_OPTS (extra JVM flags). Builds the bench jar when it is missing.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
jar="$root/tests/target/benchmarks.jar"
if [ ! -f "$jar" ]; then
  echo "update-job.sh: building $jar" >&2
  (cd "$root" && mvn -B -q -o -Pbench -pl tests package -DskipTests)
fi
# As ./hyperrec: OpenBLAS/OpenMP threads must not spin on a 2-core machine (BENCHMARKS.md).
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}" OPENBLAS_THREAD_TIMEOUT="${OPENBLAS_THREAD_TIMEOUT:-4}"
# With --profile, C2 keeps debug information between safepoints, so that Flight Recorder attributes
# samples to the right inlined method (without it, time snaps to a nearby call site).
profiling=()
for a in "$@"; do
  if [ "$a" = "--profile" ] || [ "$a" = "--profile=true" ]; then
    profiling=(-XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints)
  fi
done
exec java "${profiling[@]}" --add-modules jdk.incubator.vector -XX:+UseParallelGC "-Xmx${JAVA_HEAP:-4g}" ${JAVA_OPTS:-} \
  -cp "$jar" io.hyperrec.bench.UpdateJobBenchmark "$@" \
  2> >(grep --line-buffered -v 'Using incubator modules' >&2)
