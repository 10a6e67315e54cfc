#!/usr/bin/env bash
# Builds what one GPU-machine call needs into .gpu/ of the checkout the device tool sends
# (default: this repository): a jlink'd Java 25 runtime, the CLI jar without the AWS SDK (the
# 64 MiB transfer limit; the GPU runs need neither the apps nor the servers' libraries), the benchmark configs and the HF baseline script. Run after
# `mvn -DskipTests package`. Usage: cuda/gpu/prepare.sh [TARGET_REPO]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
target="${1:-$here}"
shared="$here/../shared"
[ -d "$shared" ] || shared=/work/shared
mkdir -p "$target/.gpu/lib" "$target/.gpu/configs"
if [ ! -f "$target/.gpu/jre.txz" ]; then
  # jlink without its own compression, then xz over the whole image: 16 MB instead of 29 MB
  jdk=${JAVA25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
  tmp=$(mktemp -d)
  "$jdk/bin/jlink" --add-modules java.base,jdk.incubator.vector,java.net.http,jdk.httpserver,java.logging,java.management,jdk.unsupported,java.naming,java.sql,jdk.crypto.ec,java.xml,jdk.management \
    --strip-debug --no-header-files --no-man-pages --compress=zip-0 --output "$tmp/jre" 2>&1 | grep -v "incubator modules" || true
  tar cJf "$target/.gpu/jre.txz" -C "$tmp" jre
  rm -rf "$tmp" "$target/.gpu/jre.tgz"
fi
python3 - "$here/cli/target/barista.jar" "$target/.gpu/lib/barista.jar" <<'PY'
import sys, zipfile
drop = ('software/amazon/', 'META-INF/maven/', 'META-INF/native-image/', 'org/apache/http/',
        'org/apache/commons/', 'org/eclipse/jetty/', 'org/h2/', 'mozilla/',
        'org/yaml/', 'com/fasterxml/jackson/dataformat/yaml/')  # app YAML: not run there
with zipfile.ZipFile(sys.argv[1]) as zi, zipfile.ZipFile(sys.argv[2], 'w', zipfile.ZIP_DEFLATED) as zo:
    for it in zi.infolist():
        # the kernel images travel once, as the checkout's cuda/src/main/resources (device-run.sh
        # puts that folder on the class path)
        if not (it.filename.startswith(drop) or it.filename.endswith('.fatbin')):
            zo.writestr(it, zi.read(it.filename))
PY
cp -r "$shared/configs/qwen3-0.6b" "$shared/configs/llama-3.1-8b" "$shared/configs/qwen3-8b" "$target/.gpu/configs/"
# shapes of other public models, for dummy-weight measurements (the real config values)
cp -r "$here/cuda/gpu/configs/"* "$target/.gpu/configs/"
# the exchange benchmark (a CUDA C program; its runtime is linked in statically), where nvcc is
if command -v nvcc > /dev/null || [ -x /usr/local/cuda/bin/nvcc ]; then
  mkdir -p "$target/.gpu/bin"
  "$(command -v nvcc || echo /usr/local/cuda/bin/nvcc)" -O3 -std=c++17 -arch=sm_90a -I"$here/cuda/src/main/cuda" \
    -o "$target/.gpu/bin/exchange-floor" "$here/cuda/bench/exchange_floor.cu"
  "$(command -v nvcc || echo /usr/local/cuda/bin/nvcc)" -O3 -std=c++17 -arch=sm_90a -I"$here/cuda/src/main/cuda" \
    -o "$target/.gpu/bin/cluster-stream" "$here/cuda/bench/cluster_stream.cu"
  strip "$target/.gpu/bin/exchange-floor" "$target/.gpu/bin/cluster-stream" 2>/dev/null || true
fi
cp "$shared/gpu/hf_baseline.py" "$here/cuda/gpu/device-run.sh" "$target/.gpu/"
chmod -R u+w "$target/.gpu"
du -sh "$target/.gpu"
