#!/usr/bin/env bash
# Compiles the CUDA kernels (src/main/cuda/*.cu) into fatbins under src/main/resources, each with
# sm_90a machine code (H100/H200) and compute_80 PTX that the driver compiles for other GPUs
# (Ampere and newer). The images are committed, so the build needs no nvcc; SOURCES.sha256 records
# the hash of every source and the flags, and KernelImagesTest fails when a source changed
# without a rebuild. Run from anywhere: cuda/build-kernels.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
src="$here/src/main/cuda"
out="$here/src/main/resources/dev/barista/cuda/kernels"
flags="-O3 -std=c++17 -gencode=arch=compute_90a,code=sm_90a -gencode=arch=compute_80,code=compute_80"
mkdir -p "$out"
nvcc --version | tail -1
for cu in "$src"/*.cu; do
  name="$(basename "$cu" .cu)"
  nvcc -fatbin $flags -Xptxas -warn-spills -I"$src" -o "$out/$name.fatbin" "$cu"
  echo "built $name.fatbin ($(stat -c %s "$out/$name.fatbin") bytes)"
done
{
  echo "# flags: $flags"
  (cd "$src" && sha256sum $(ls *.cu *.cuh | sort))
} > "$out/SOURCES.sha256"
