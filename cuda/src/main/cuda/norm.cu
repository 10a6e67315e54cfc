// RMSNorm fused with the residual add, one block per output row.
#include "common.cuh"

// The residual stream is kept in f32 (one rounding per layer output instead of one per add):
// add_residual: residual[r] = x[r] + residual[r]; otherwise residual[r] = x[r] (first layer).
// out[row] = bf16(w * residual[r] / rms(residual[r])).
// rows (nullable) picks input row r of each output row (the final norm of sampled rows only);
// write_residual = 0 leaves residual untouched.
extern "C" __global__ void add_rmsnorm(const bf16* __restrict__ x, float* __restrict__ residual,
                                       bf16* __restrict__ out, const bf16* __restrict__ w,
                                       const int* __restrict__ rows, int hidden, float eps,
                                       int add_residual, int write_residual) {
  __shared__ float scratch[33];
  extern __shared__ float vals[];
  const int r = rows ? rows[blockIdx.x] : blockIdx.x;
  const bf16* xr = x + (size_t)r * hidden;
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
  bf16* o = out + (size_t)blockIdx.x * hidden;
  for (int i = threadIdx.x; i < hidden; i += blockDim.x) {
    o[i] = to_bf(to_f(w[i]) * (vals[i] * inv));
  }
}
