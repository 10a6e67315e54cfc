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
[ -f "$target/.gpu/jre.tgz" ] || bash "$shared/gpu/make-jre.sh" "$target/.gpu/jre.tgz" jdk.management
python3 - "$here/cli/target/barista.jar" "$target/.gpu/lib/barista.jar" <<'PY'
import sys, zipfile
drop = ('software/amazon/', 'META-INF/maven/', 'META-INF/native-image/', 'org/apache/http/',
        'org/apache/commons/', 'org/eclipse/jetty/', 'org/h2/')
with zipfile.ZipFile(sys.argv[1]) as zi, zipfile.ZipFile(sys.argv[2], 'w', zipfile.ZIP_DEFLATED) as zo:
    for it in zi.infolist():
        if not it.filename.startswith(drop):
            zo.writestr(it, zi.read(it.filename))
PY
cp -r "$shared/configs/qwen3-0.6b" "$shared/configs/llama-3.1-8b" "$target/.gpu/configs/"
cp "$shared/gpu/hf_baseline.py" "$here/cuda/gpu/device-run.sh" "$target/.gpu/"
chmod -R u+w "$target/.gpu"
du -sh "$target/.gpu"
