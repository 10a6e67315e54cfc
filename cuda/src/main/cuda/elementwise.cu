// Small element-wise kernels: embedding gather, SiLU-and-mul, dummy weight fill, bias add. Each is
// instantiated for bf16 (no suffix) and float (_f32) elements.
#include "common.cuh"

// out[t] = table[ids[t]]; grid T, block 256.
template <typename T>
__device__ __forceinline__ void embedding_impl(const int* __restrict__ ids, const T* __restrict__ table,
                                               T* __restrict__ out, int hidden) {
  const T* src = table + (size_t)ids[blockIdx.x] * hidden;
  T* dst = out + (size_t)blockIdx.x * hidden;
  for (int i = threadIdx.x; i < hidden; i += blockDim.x) dst[i] = src[i];
}

// gate_up: [T, 2 * inter] (gate, then up); out[t, i] = silu(gate) * up.
// grid (ceil(inter / 256), T), block 256.
template <typename T>
__device__ __forceinline__ void silu_mul_impl(const T* __restrict__ gate_up, T* __restrict__ out,
                                              int inter) {
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= inter) return;
  const size_t t = blockIdx.y;
  const float g = to_f(gate_up[t * 2 * inter + i]);
  const float u = to_f(gate_up[t * 2 * inter + inter + i]);
  const float s = g / (1.f + __expf(-g));
  out[t * inter + i] = from_f<T>(s * u);
}

// Uniform values in [-scale, scale) from a counter hash (for --load-format dummy): fills n values.
template <typename T>
__device__ __forceinline__ void fill_uniform_impl(T* __restrict__ out, unsigned long long n,
                                                  unsigned int seed, float scale) {
  for (unsigned long long i = blockIdx.x * (unsigned long long)blockDim.x + threadIdx.x; i < n;
       i += (unsigned long long)gridDim.x * blockDim.x) {
    unsigned int x = (unsigned int)i * 0x9E3779B9u ^ (unsigned int)(i >> 32) * 0x85EBCA6Bu ^ seed;
    x ^= x >> 16;
    x *= 0x7FEB352Du;
    x ^= x >> 15;
    x *= 0x846CA68Bu;
    x ^= x >> 16;
    out[i] = from_f<T>(((x >> 8) * (1.f / 16777216.f) * 2.f - 1.f) * scale);
  }
}

// y[r, :] += bias (projections with a bias: Llama's attention_bias / mlp_bias).
// grid (ceil(cols / 256), rows), block 256.
template <typename T>
__device__ __forceinline__ void add_bias_impl(T* __restrict__ y, const T* __restrict__ bias, int cols) {
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= cols) return;
  const size_t j = (size_t)blockIdx.y * cols + i;
  y[j] = from_f<T>(to_f(y[j]) + to_f(bias[i]));
}

#define ELEMENTWISE_ENTRIES(T, SUFFIX)                                                            \
  extern "C" __global__ void embedding##SUFFIX(const int* ids, const T* table, T* out,           \
                                               int hidden) {                                     \
    PDL_ENTER();                                                                                 \
    embedding_impl<T>(ids, table, out, hidden);                                                 \
  }                                                                                             \
  extern "C" __global__ void silu_mul##SUFFIX(const T* gate_up, T* out, int inter) {            \
    PDL_ENTER();                                                                                \
    silu_mul_impl<T>(gate_up, out, inter);                                                      \
  }                                                                                             \
  extern "C" __global__ void fill_uniform##SUFFIX(T* out, unsigned long long n, unsigned int seed, \
                                                  float scale) {                                \
    PDL_ENTER();                                                                                \
    fill_uniform_impl<T>(out, n, seed, scale);                                                  \
  }                                                                                             \
  extern "C" __global__ void add_bias##SUFFIX(T* y, const T* bias, int cols) {                  \
    PDL_ENTER();                                                                                \
    add_bias_impl<T>(y, bias, cols);                                                            \
  }

ELEMENTWISE_ENTRIES(bf16, )
ELEMENTWISE_ENTRIES(float, _f32)
