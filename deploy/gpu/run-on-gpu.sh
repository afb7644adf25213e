#!/usr/bin/env bash
# The GPU checks in one command, for a GPU machine that has an NVIDIA driver and the CUDA 13
# libraries but no JDK and no network (like the device machines this project borrows):
#
#   deploy/gpu/run-on-gpu.sh pack [BUNDLE]   # here (JDK 17, Maven): build and pack BUNDLE (< 64 MiB)
#   deploy/gpu/run-on-gpu.sh run  [BUNDLE]   # there: contract suite on cuda:0, then training runs
#
# BUNDLE defaults to gpu/target/gpu-bundle. It holds a jlink'ed Java 17 runtime, the slim class path
# (core, hyperrec-gpu, the JavaCPP CUDA bindings, JUnit's console launcher; no ND4J, no Flink), the
# kernel contract suite and io.hyperrec.gpu.bench.TrainBench, and the hyperllm-beauty dataset from
# ../shared/datasets (research use only: it goes into the bundle, never into the repository).
#
# `run` writes everything it prints to RESULTS (default: $OUT when set, as on the device machine,
# else BUNDLE/results): contract.txt (the JUnit tree), profile.txt (4 epochs with the time per
# kernel operation) and train.txt (the full hyperllm run to early stop, with test R@20 / N@20).
# With the device tool: carry gpu/target/gpu-bundle and run `deploy/gpu/run-on-gpu.sh run`.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
mode="${1:-}"
bundle="${2:-$root/gpu/target/gpu-bundle}"
junit_console="org.junit.platform:junit-platform-console-standalone:1.11.4"
# java.base and what the slim class path uses: logging, JMX (JavaCPP), Unsafe (JavaCPP) and the
# Vector API (core's CPU reference).
modules="java.base,java.logging,java.management,jdk.unsupported,jdk.incubator.vector"

pack() {
  local data="${DATASET:-$root/../shared/datasets/hyperllm-beauty}"
  if [ ! -d "$data" ]; then
    echo "run-on-gpu.sh: $data is not a directory; set DATASET to the hyperllm-beauty directory" >&2
    exit 2
  fi
  command -v jlink >/dev/null || { echo "run-on-gpu.sh: jlink not found (a JDK 17 is needed to pack)" >&2; exit 2; }
  echo "== building core and hyperrec-gpu (tests compiled, not run)"
  (cd "$root" && mvn -B -q -pl gpu -am package -DskipTests -Dspotless.check.skip=true)
  rm -rf "$bundle"
  mkdir -p "$bundle/lib" "$bundle/hyperllm-beauty"
  echo "== slim class path"
  local cp
  cp="$(mktemp)"
  (cd "$root" && mvn -B -q -pl gpu dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp")
  tr ':' '\n' < "$cp" | grep -E '/(cuda|javacpp/1\.5\.13|slf4j-api|slf4j-simple|assertj-core)[^/]*/' \
    | grep -v -E 'cuda-redist|windows|macosx|arm64|ppc64' | while read -r jar; do cp "$jar" "$bundle/lib/"; done
  rm -f "$cp"
  # This build's core (and its tests jar, which holds the contract suite) and GPU module.
  cp "$root/core/target/"hyperrec-core-*.jar "$root/gpu/target/"hyperrec-gpu-*.jar "$bundle/lib/"
  rm -f "$bundle/lib/"*-sources.jar
  (cd "$root" && mvn -B -q dependency:copy -Dartifact="$junit_console" -DoutputDirectory="$bundle/lib")
  cp -r "$root/gpu/target/test-classes" "$bundle/test-classes"
  echo "== Java runtime ($modules)"
  jlink --add-modules "$modules" --strip-debug --no-man-pages --no-header-files --compress=2 --output "$bundle/jre"
  echo "== dataset $data"
  cp "$data"/*.inter "$data"/*.tag "$data"/*.kg "$data"/*.phase1-*.f32 "$bundle/hyperllm-beauty/"
  du -sh "$bundle" "$bundle"/*
}

run() {
  local results="${RESULTS:-${OUT:-$bundle/results}}"
  mkdir -p "$results"
  local java="$bundle/jre/bin/java"
  [ -x "$java" ] || { echo "run-on-gpu.sh: no bundle at $bundle (run 'pack' first)" >&2; exit 2; }
  # The CUDA 13 libraries of the machine (the driver's libcuda.so.1 is found by the loader).
  local extra=""
  for d in /usr/local/cuda/lib64 /usr/local/cuda-13*/targets/x86_64-linux/lib /usr/local/cuda-13*/lib64 /usr/lib/x86_64-linux-gnu; do
    if ls "$d"/libcublas.so.13* >/dev/null 2>&1 || ls "$d"/libnvrtc.so.13* >/dev/null 2>&1; then
      extra="${extra:+$extra:}$d"
    fi
  done
  export LD_LIBRARY_PATH="${extra}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  export CUDA_DEVICE_ORDER="${CUDA_DEVICE_ORDER:-PCI_BUS_ID}"
  echo "LD_LIBRARY_PATH=$LD_LIBRARY_PATH" | tee "$results/environment.txt"
  (command -v nvidia-smi >/dev/null && nvidia-smi || echo "no nvidia-smi") >> "$results/environment.txt" 2>&1
  # Every jar by name: the console launcher's --class-path does not expand "lib/*".
  local cp
  cp="$(find "$bundle/lib" -name '*.jar' ! -name 'junit-platform-console-standalone-*' | sort | tr '\n' ':')$bundle/test-classes"
  local jopts=(--add-modules jdk.incubator.vector -XX:+UseParallelGC -Xmx16g -Djava.io.tmpdir="${TMPDIR:-/tmp}")
  echo "== kernel contract suite on cuda:0"
  "$java" "${jopts[@]}" -jar "$bundle/lib/junit-platform-console-standalone-1.11.4.jar" execute \
    --class-path "$cp" --details=tree --disable-banner --disable-ansi-colors \
    --select-class io.hyperrec.core.kernel.CudaKernelsContractTest \
    --select-class io.hyperrec.core.kernel.DeterministicCudaKernelsContractTest \
    --select-class io.hyperrec.gpu.CudaKernelsGpuTest \
    2>&1 | tee "$results/contract.txt" || true
  local bench=("$java" "${jopts[@]}" -cp "$cp" io.hyperrec.gpu.bench.TrainBench
    --dataset "$bundle/hyperllm-beauty" --variant hyperllm --phase1 "$bundle/hyperllm-beauty/hyperllm-beauty"
    --margin 1.6 --tag-margin 0.9 --device "${DEVICE:-cuda}")
  echo "== 4 epochs with the time per kernel operation"
  "${bench[@]}" --epochs 4 --profile 2>&1 | tee "$results/profile.txt" || true
  echo "== hyperllm on hyperllm-beauty to early stop"
  "${bench[@]}" 2>&1 | tee "$results/train.txt" || true
  echo "results in $results"
}

case "$mode" in
  pack) pack ;;
  run) run ;;
  *) sed -n '2,16p' "$0"; exit 2 ;;
esac
