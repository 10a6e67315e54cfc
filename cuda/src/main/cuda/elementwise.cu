// Small element-wise kernels: embedding gather, the gated MLP activation, dummy weight fill, bias add,
// logit soft-capping. Each is instantiated for bf16 (no suffix) and float (_f32) elements.
#include "activation.cuh"

// out[t] = table[ids[t]], plus positions_table[positions[t] + offset] where a model has learned
// positions (OPT, GPT-2; positions_table null otherwise); grid T, block 256.
template <typename T>
__device__ __forceinline__ void embedding_impl(const int* __restrict__ ids, const T* __restrict__ table,
                                               T* __restrict__ out, int hidden, const T* __restrict__ positions_table,
                                               const int* __restrict__ positions, int offset) {
  const T* src = table + (size_t)ids[blockIdx.x] * hidden;
  T* dst = out + (size_t)blockIdx.x * hidden;
  if (positions_table) {
    const T* pos = positions_table + (size_t)(positions[blockIdx.x] + offset) * hidden;
    for (int i = threadIdx.x; i < hidden; i += blockDim.x) dst[i] = from_f<T>(to_f(src[i]) + to_f(pos[i]));
    return;
  }
  for (int i = threadIdx.x; i < hidden; i += blockDim.x) dst[i] = src[i];
}

// gate_up: [T, 2 * inter] (gate, then up); out[t, i] = act(gate) * up (act_times in activation.cuh).
// With gated = 0 (OPT, GPT-2) the rows are [T, inter] and out = act(gate_up).
// Where every row starts on 16 bytes, each thread takes 8 elements at once (one 16-byte load of gate
// and of up for bf16): one element a thread moved 2-byte pieces and reached ~40% of copy bandwidth
// in a 256-row decode step. Otherwise one element a thread. Both loops stride over the row, so any
// grid of width >= 1 covers it; the host sizes it for the 8-element loop.
// grid (ceil(inter / (8 * 256)), T), block 256.
template <typename T>
__device__ __forceinline__ void act_mul_impl(const T* __restrict__ gate_up, T* __restrict__ out,
                                             int inter, int act, int gated) {
  const size_t t = blockIdx.y;
  const T* gate = gate_up + t * (gated ? 2 : 1) * inter;
  const T* up = gated ? gate + inter : nullptr;
  T* o = out + t * inter;
  const int stride = gridDim.x * blockDim.x, first = blockIdx.x * blockDim.x + threadIdx.x;
  const bool vec = inter % 8 == 0 && ((reinterpret_cast<uintptr_t>(gate_up) | reinterpret_cast<uintptr_t>(out)) & 15) == 0;
  if (vec) {
    for (int i = first * 8; i < inter; i += stride * 8) {
      Raw8<T> gr, ur;
      gr.load(gate + i);
      float g[8], u[8] = {1.f, 1.f, 1.f, 1.f, 1.f, 1.f, 1.f, 1.f};
      gr.to_float(g);
      if (gated) {
        ur.load(up + i);
        ur.to_float(u);
      }
#pragma unroll
      for (int k = 0; k < 8; k++) g[k] = act_times(g[k], u[k], act);
      store8(o + i, g);
    }
  } else {
    for (int i = first; i < inter; i += stride) o[i] = from_f<T>(act_times(to_f(gate[i]), gated ? to_f(up[i]) : 1.f, act));
  }
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

// x = min(max(x, -limit), limit) over n values (OLMo's clip_qkv on the QKV rows); grid-stride.
template <typename T>
__device__ __forceinline__ void clamp_impl(T* __restrict__ x, unsigned long long n, float limit) {
  for (unsigned long long i = blockIdx.x * (unsigned long long)blockDim.x + threadIdx.x; i < n;
       i += (unsigned long long)gridDim.x * blockDim.x) {
    x[i] = from_f<T>(fminf(fmaxf(to_f(x[i]), -limit), limit));
  }
}

#define ELEMENTWISE_ENTRIES(T, SUFFIX)                                                            \
  extern "C" __global__ void embedding##SUFFIX(const int* ids, const T* table, T* out,           \
                                               int hidden, const T* positions_table,             \
                                               const int* positions, int offset) {               \
    PDL_ENTER();                                                                                 \
    embedding_impl<T>(ids, table, out, hidden, positions_table, positions, offset);             \
  }                                                                                             \
  extern "C" __global__ void act_mul##SUFFIX(const T* gate_up, T* out, int inter, int act,     \
                                             int gated) {                                       \
    PDL_ENTER();                                                                                \
    act_mul_impl<T>(gate_up, out, inter, act, gated);                                           \
  }                                                                                             \
  extern "C" __global__ void fill_uniform##SUFFIX(T* out, unsigned long long n, unsigned int seed, \
                                                  float scale) {                                \
    PDL_ENTER();                                                                                \
    fill_uniform_impl<T>(out, n, seed, scale);                                                  \
  }                                                                                             \
  extern "C" __global__ void add_bias##SUFFIX(T* y, const T* bias, int cols) {                  \
    PDL_ENTER();                                                                                \
    add_bias_impl<T>(y, bias, cols);                                                            \
  }                                                                                             \
  extern "C" __global__ void clamp##SUFFIX(T* x, unsigned long long n, float limit) {           \
    PDL_ENTER();                                                                                \
    clamp_impl<T>(x, n, limit);                                                                 \
  }

ELEMENTWISE_ENTRIES(bf16, )
ELEMENTWISE_ENTRIES(float, _f32)

// Gemma 2's final logit soft-capping over f32 logits: x = cap * tanh(x / cap), n values; grid-stride.
extern "C" __global__ void softcap_f32(float* x, unsigned long long n, float cap) {
  PDL_ENTER();
  for (unsigned long long i = blockIdx.x * (unsigned long long)blockDim.x + threadIdx.x; i < n;
       i += (unsigned long long)gridDim.x * blockDim.x) {
    x[i] = cap * tanhf(x[i] / cap);
  }
}
