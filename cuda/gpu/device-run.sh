#!/usr/bin/env bash
# One call on the GPU machine (see docs/gpu.md): run from the repository root with .gpu/ carried
# (jre.tgz, lib/*.jar, configs/). Steps, in order: check (bindings + kernels vs CPU references,
# timings), models (runner vs reference models), bench (decode + throughput + HF baseline).
# Logs go to $OUT; a short table is printed last.
set -uo pipefail
OUT=${OUT:-/tmp/barista-out}
mkdir -p "$OUT" /tmp/barista
[ -x /tmp/jre/bin/java ] || tar xzf .gpu/jre.tgz -C /tmp
JAVA=(/tmp/jre/bin/java --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector -Xss8m -cp ".gpu/lib/*")
summary="$OUT/summary.txt"
: > "$summary"
nvidia-smi --query-gpu=name,driver_version,memory.used,memory.total --format=csv,noheader | tee -a "$summary"
for step in "$@"; do
  case "$step" in
    check)
      "${JAVA[@]}" dev.barista.cuda.check.GpuCheck 2>&1 | grep -v "incubator modules" | tee "$OUT/check.log"
      grep -E "OK|FAIL|passed|GB/s|us each" "$OUT/check.log" >> "$summary" ;;
    *) [ -x ".gpu/step-$step.sh" ] && bash ".gpu/step-$step.sh" "$OUT" "$summary" ;;
  esac
done
echo "======== summary"
cat "$summary"
