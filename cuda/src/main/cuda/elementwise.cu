// Small element-wise kernels: embedding gather, SiLU-and-mul, dummy weight fill.
#include "common.cuh"

// out[t] = table[ids[t]]; grid T, block 256.
extern "C" __global__ void embedding(const int* __restrict__ ids, const bf16* __restrict__ table,
                                     bf16* __restrict__ out, int hidden) {
  const bf16* src = table + (size_t)ids[blockIdx.x] * hidden;
  bf16* dst = out + (size_t)blockIdx.x * hidden;
  for (int i = threadIdx.x; i < hidden; i += blockDim.x) dst[i] = src[i];
}

// gate_up: [T, 2 * inter] (gate, then up); out[t, i] = bf16(silu(gate) * up).
// grid (ceil(inter / 256), T), block 256.
extern "C" __global__ void silu_mul(const bf16* __restrict__ gate_up, bf16* __restrict__ out,
                                    int inter) {
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= inter) return;
  const size_t t = blockIdx.y;
  const float g = to_f(gate_up[t * 2 * inter + i]);
  const float u = to_f(gate_up[t * 2 * inter + inter + i]);
  const float s = g / (1.f + __expf(-g));
  out[t * inter + i] = to_bf(s * u);
}

// Uniform values in [-scale, scale) from a counter hash (for --load-format dummy): fills n values.
extern "C" __global__ void fill_uniform(bf16* __restrict__ out, unsigned long long n,
                                        unsigned int seed, float scale) {
  for (unsigned long long i = blockIdx.x * (unsigned long long)blockDim.x + threadIdx.x; i < n;
       i += (unsigned long long)gridDim.x * blockDim.x) {
    unsigned int x = (unsigned int)i * 0x9E3779B9u ^ (unsigned int)(i >> 32) * 0x85EBCA6Bu ^ seed;
    x ^= x >> 16;
    x *= 0x7FEB352Du;
    x ^= x >> 15;
    x *= 0x846CA68Bu;
    x ^= x >> 16;
    out[i] = to_bf(((x >> 8) * (1.f / 16777216.f) * 2.f - 1.f) * scale);
  }
}

// y[r, :] += bias (projections with a bias: Llama's attention_bias / mlp_bias).
// grid (ceil(cols / 256), rows), block 256.
extern "C" __global__ void add_bias(bf16* __restrict__ y, const bf16* __restrict__ bias, int cols) {
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= cols) return;
  const size_t j = (size_t)blockIdx.y * cols + i;
  y[j] = to_bf(to_f(y[j]) + to_f(bias[i]));
}
