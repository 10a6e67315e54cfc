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
        'org/apache/commons/', 'org/eclipse/jetty/', 'org/h2/', 'mozilla/')
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
# tiny-llama as Phi-3 stores it (q/k/v and gate/up fused), with tiny-llama's reference: the same
# function, so the GPU check of Phi3ForCausalLM holds it to transformers' Llama outputs
python3 - "$here/cuda/src/test/resources/models/tiny-llama" "$target/.gpu/models/tiny-phi3-fused" <<'PY'
import json, os, re, shutil, struct, sys
src, dst = sys.argv[1], sys.argv[2]
os.makedirs(dst, exist_ok=True)
for f in ('generation_config.json', 'reference.json'):
    shutil.copy(os.path.join(src, f), dst)
config = json.load(open(os.path.join(src, 'config.json')))
config.update(architectures=['Phi3ForCausalLM'], model_type='phi3', sliding_window=4096)
json.dump(config, open(os.path.join(dst, 'config.json'), 'w'))
raw = open(os.path.join(src, 'model.safetensors'), 'rb').read()
n = struct.unpack('<Q', raw[:8])[0]
header = json.loads(raw[8:8 + n])
header.pop('__metadata__', None)
def data(name):
    a, b = header[name]['data_offsets']
    return raw[8 + n + a:8 + n + b]
out = {}
for name, t in header.items():
    m = re.match(r'(.*\.)(q_proj|gate_proj)\.weight$', name)
    if m:
        parts = ['q_proj', 'k_proj', 'v_proj'] if m.group(2) == 'q_proj' else ['gate_proj', 'up_proj']
        names = [m.group(1) + p + '.weight' for p in parts]
        fused = m.group(1) + ('qkv_proj' if m.group(2) == 'q_proj' else 'gate_up_proj') + '.weight'
        out[fused] = (t['dtype'], [sum(header[x]['shape'][0] for x in names), t['shape'][1]], b''.join(map(data, names)))
    elif not re.match(r'.*\.(k_proj|v_proj|up_proj)\.weight$', name):
        out[name] = (t['dtype'], t['shape'], data(name))
offset, head, body = 0, {}, []
for name, (dtype, shape, b) in out.items():
    head[name] = {'dtype': dtype, 'shape': shape, 'data_offsets': [offset, offset + len(b)]}
    offset += len(b)
    body.append(b)
h = json.dumps(head).encode()
with open(os.path.join(dst, 'model.safetensors'), 'wb') as f:
    f.write(struct.pack('<Q', len(h)) + h + b''.join(body))
PY
cp "$shared/gpu/hf_baseline.py" "$here/cuda/gpu/device-run.sh" "$target/.gpu/"
chmod -R u+w "$target/.gpu"
du -sh "$target/.gpu"
