#!/usr/bin/env bash
# Builds a variant of the persistent decode kernel for a `-kvNAME` step of device-run.sh: this
# checkout's decode_persistent.cu compiled with extra nvcc flags (measurement switches such as
# -DBARISTA_ATTENTION_BARRIER, -DBARISTA_TRACE_ATTENTION or the -DBARISTA_WHATIF_* ones, or
# -lineinfo) into .gpu/kv/NAME/, which device-run.sh puts ahead of the shipped images. sm_90a only.
# By default only the entries of head dim 128 with 2 or 4 query heads a kv head (Qwen3-0.6B and
# Qwen3-8B, Llama-3.1-8B) are built, in about a minute; --all builds every entry.
# Usage: cuda/gpu/kernel-variant.sh [--all] NAME [nvcc flags...]
#   e.g. cuda/gpu/kernel-variant.sh floor -DBARISTA_WHATIF_NO_TILES -DBARISTA_WHATIF_NO_DOTS \
#          -DBARISTA_WHATIF_NO_PREP -DBARISTA_ATTENTION_BARRIER -DBARISTA_WHATIF_NO_MERGE
set -euo pipefail
all=false
if [ "${1:-}" = "--all" ]; then all=true; shift; fi
name="${1:?usage: kernel-variant.sh [--all] NAME [nvcc flags...]}"
shift
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
src="$here/cuda/src/main/cuda"
out="$here/.gpu/kv/$name/dev/barista/cuda/kernels"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$src"/*.cu "$src"/*.cuh "$work/"
if ! $all; then
  # keep the entries of head dim 128, groups of 2 and 4; drop the macro lines that define the rest
  python3 - "$work/decode_persistent.cu" <<'PY'
import sys
path = sys.argv[1]
text = open(path).read()
first = text.index('LAYERS_ENTRIES(1, 32)')
text = text[:first] + 'LAYERS_ENTRY(4, 2, decode_layers_d128_g2)\nLAYERS_ENTRY(4, 4, decode_layers_d128_g4)\n'
open(path, 'w').write(text)
PY
fi
nvcc="$(command -v nvcc || echo /usr/local/cuda/bin/nvcc)"
"$nvcc" -fatbin -O3 -std=c++17 -gencode=arch=compute_90a,code=sm_90a -I"$work" "$@" \
  -o "$work/decode_persistent.fatbin" "$work/decode_persistent.cu"
mkdir -p "$out"
mv "$work/decode_persistent.fatbin" "$out/"
echo "built .gpu/kv/$name ($(stat -c %s "$out/decode_persistent.fatbin") bytes) with: ${*:-no extra flags}"
