// RMSNorm fused with the residual add, one block per output row; bf16 (add_rmsnorm) and float
// (add_rmsnorm_f32) elements.
#include "common.cuh"

// The residual stream is kept in f32 (one rounding per layer output instead of one per add):
// add_residual: residual[r] = x[r] + residual[r]; otherwise residual[r] = x[r] (first layer).
// out[row] = w * residual[r] / rms(residual[r]), rounded to the element type.
// rows (nullable) picks input row r of each output row (the final norm of sampled rows only);
// write_residual = 0 leaves residual untouched.
template <typename T>
__device__ __forceinline__ void add_rmsnorm_impl(const T* __restrict__ x, float* __restrict__ residual,
                                                 T* __restrict__ out, const T* __restrict__ w,
                                                 const int* __restrict__ rows, int hidden, float eps,
                                                 int add_residual, int write_residual) {
  __shared__ float scratch[33];
  extern __shared__ float vals[];
  const int r = rows ? rows[blockIdx.x] : blockIdx.x;
  const T* xr = x + (size_t)r * hidden;
  float* rr = residual + (size_t)r * hidden;
  float ss = 0.f;
  for (int i = threadIdx.x; i < hidden; i += blockDim.x) {
    float v = to_f(xr[i]);
    if (add_residual) v += rr[i];
    if (write_residual) rr[i] = v;
    vals[i] = v;
    ss += v * v;
  }
  const float inv = rsqrtf(block_sum(ss, scratch) / hidden + eps);
  T* o = out + (size_t)blockIdx.x * hidden;
  for (int i = threadIdx.x; i < hidden; i += blockDim.x) {
    o[i] = from_f<T>(to_f(w[i]) * (vals[i] * inv));
  }
}

#define ADD_RMSNORM_ENTRY(T, SUFFIX)                                                            \
  extern "C" __global__ void add_rmsnorm##SUFFIX(const T* x, float* residual, T* out, const T* w, \
                                                 const int* rows, int hidden, float eps,        \
                                                 int add_residual, int write_residual) {        \
    PDL_ENTER();                                                                                \
    add_rmsnorm_impl<T>(x, residual, out, w, rows, hidden, eps, add_residual, write_residual);  \
  }

ADD_RMSNORM_ENTRY(bf16, )
ADD_RMSNORM_ENTRY(float, _f32)
