// RMSNorm fused with the residual add, one block per output row; bf16 (add_rmsnorm) and float
// (add_rmsnorm_f32) elements.
#include "common.cuh"

// The residual stream is kept in f32 (one rounding per layer output instead of one per add):
// add_residual: residual[r] = x[r] + residual[r]; otherwise residual[r] = x[r] (first layer).
// out[row] = w * residual[r] / rms(residual[r]), rounded to the element type; with a bias (OPT,
// GPT-2: LayerNorm), out[row] = w * (residual[r] - mean) / std + bias, the variance taken around the
// mean over the row kept in shared memory (two reductions, no cancellation).
// rows (nullable) picks input row r of each output row (the final norm of sampled rows only);
// write_residual = 0 leaves residual untouched. Without a weight (w null) out is the sum itself.
// Where hidden is a multiple of 8 and every pointer is 16-byte aligned, each thread moves 8
// elements at a time (16-byte loads and stores of bf16, two of float); otherwise one.
template <typename T>
__device__ __forceinline__ void add_rmsnorm_impl(const T* __restrict__ x, float* __restrict__ residual,
                                                 T* __restrict__ out, const T* __restrict__ w,
                                                 const int* __restrict__ rows, int hidden, float eps,
                                                 int add_residual, int write_residual,
                                                 const T* __restrict__ bias) {
  __shared__ float scratch[33];
  extern __shared__ float vals[];
  const int r = rows ? rows[blockIdx.x] : blockIdx.x;
  const T* xr = x + (size_t)r * hidden;
  float* rr = residual + (size_t)r * hidden;
  T* o = out + (size_t)blockIdx.x * hidden;
  const bool vec = hidden % 8 == 0 &&
      ((reinterpret_cast<uintptr_t>(x) | reinterpret_cast<uintptr_t>(residual) | reinterpret_cast<uintptr_t>(out) |
        reinterpret_cast<uintptr_t>(w)) & 15) == 0;
  const int step = vec ? 8 : 1;
  float ss = 0.f;
  for (int i = threadIdx.x * step; i < hidden; i += blockDim.x * step) {
    float v[8];
    if (vec) {
      Raw8<T> xv;
      xv.load(xr + i);
      xv.to_float(v);
      if (add_residual) {
        Raw8<float> rv;
        rv.load(rr + i);
        float rf[8];
        rv.to_float(rf);
#pragma unroll
        for (int k = 0; k < 8; k++) v[k] += rf[k];
      }
      if (write_residual) store8(rr + i, v);
    } else {
      v[0] = to_f(xr[i]);
      if (add_residual) v[0] += rr[i];
      if (write_residual) rr[i] = v[0];
    }
    if (vec) {  // two 16-byte stores: 8 single ones from a thread were 8-way bank conflicts
      reinterpret_cast<float4*>(vals + i)[0] = make_float4(v[0], v[1], v[2], v[3]);
      reinterpret_cast<float4*>(vals + i)[1] = make_float4(v[4], v[5], v[6], v[7]);
    } else {
      vals[i] = v[0];
    }
#pragma unroll
    for (int k = 0; k < 8; k++) {
      if (k < step) ss += v[k] * v[k];
    }
  }
  if (!w) {  // no norm (OLMo 2's inputs): the residual sum itself; uniform over the block
    for (int i = threadIdx.x * step; i < hidden; i += blockDim.x * step) {
#pragma unroll
      for (int k = 0; k < 8; k++) {
        if (k < step) o[i + k] = from_f<T>(vals[i + k]);
      }
    }
    return;
  }
  float mean = 0.f;
  if (bias) {  // LayerNorm: this thread's values are in vals; sum them, then the squared deviations
    float sum = 0.f;
    for (int i = threadIdx.x * step; i < hidden; i += blockDim.x * step) {
#pragma unroll
      for (int k = 0; k < 8; k++) {
        if (k < step) sum += vals[i + k];
      }
    }
    mean = block_sum(sum, scratch) / hidden;
    ss = 0.f;
    for (int i = threadIdx.x * step; i < hidden; i += blockDim.x * step) {
#pragma unroll
      for (int k = 0; k < 8; k++) {
        if (k < step) ss += (vals[i + k] - mean) * (vals[i + k] - mean);
      }
    }
  }
  const float inv = rsqrtf(block_sum(ss, scratch) / hidden + eps);
  for (int i = threadIdx.x * step; i < hidden; i += blockDim.x * step) {
    if (bias) {
#pragma unroll
      for (int k = 0; k < 8; k++) {
        if (k < step) o[i + k] = from_f<T>(to_f(w[i + k]) * ((vals[i + k] - mean) * inv) + to_f(bias[i + k]));
      }
      continue;
    }
    if (vec) {
      Raw8<T> wv;
      wv.load(w + i);
      Raw8<float> sv;
      sv.load(vals + i);
      float f[8], v[8];
      wv.to_float(f);
      sv.to_float(v);
#pragma unroll
      for (int k = 0; k < 8; k++) f[k] *= v[k] * inv;
      store8(o + i, f);
    } else {
      o[i] = from_f<T>(to_f(w[i]) * (vals[i] * inv));
    }
  }
}

// RMSNorm in place over a slice of each row: x[r * stride + i] for i < width (OLMo 2's q/k norms,
// over the whole q or k part of a QKV row). Grid rows, block up to 1024; two passes over global
// memory (width may exceed what shared memory would hold).
template <typename T>
__device__ __forceinline__ void rmsnorm_strided_impl(T* __restrict__ x, int stride, int width,
                                                     const T* __restrict__ w, float eps) {
  __shared__ float scratch[33];
  T* row = x + (size_t)blockIdx.x * stride;
  float ss = 0.f;
  for (int i = threadIdx.x; i < width; i += blockDim.x) {
    const float v = to_f(row[i]);
    ss += v * v;
  }
  const float inv = rsqrtf(block_sum(ss, scratch) / width + eps);
  for (int i = threadIdx.x; i < width; i += blockDim.x) row[i] = from_f<T>(to_f(w[i]) * (to_f(row[i]) * inv));
}

#define RMSNORM_STRIDED_ENTRY(T, SUFFIX)                                                         \
  extern "C" __global__ void rmsnorm_strided##SUFFIX(T* x, int stride, int width, const T* w, float eps) { \
    PDL_ENTER();                                                                                 \
    rmsnorm_strided_impl<T>(x, stride, width, w, eps);                                           \
  }

RMSNORM_STRIDED_ENTRY(bf16, )
RMSNORM_STRIDED_ENTRY(float, _f32)

#define ADD_RMSNORM_ENTRY(T, SUFFIX)                                                            \
  extern "C" __global__ void add_rmsnorm##SUFFIX(const T* x, float* residual, T* out, const T* w, \
                                                 const int* rows, int hidden, float eps,        \
                                                 int add_residual, int write_residual,          \
                                                 const T* bias) {                               \
    PDL_ENTER();                                                                                \
    add_rmsnorm_impl<T>(x, residual, out, w, rows, hidden, eps, add_residual, write_residual, bias); \
  }

ADD_RMSNORM_ENTRY(bf16, )
ADD_RMSNORM_ENTRY(float, _f32)
