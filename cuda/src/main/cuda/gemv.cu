// Skinny matrix products for decode: y[m, n] = sum_k x[m, k] * w[n, k] for a few rows m (M <= 8),
// bf16 inputs, f32 accumulation. Bound by reading w once: each warp streams one row of w with
// 16-byte loads (several in flight) and reuses it for every m. cuBLAS spends ~15 us on such
// shapes where the bytes take ~3 us, which dominates decode of small models.
#include "common.cuh"

#define MAX_M 8

__device__ __forceinline__ void unpack8(const uint4& v, float* f) {
  const __nv_bfloat162* h = reinterpret_cast<const __nv_bfloat162*>(&v);
#pragma unroll
  for (int i = 0; i < 4; i++) {
    const float2 p = __bfloat1622float2(h[i]);
    f[2 * i] = p.x;
    f[2 * i + 1] = p.y;
  }
}

// Streams w past L1 (read once per step); x rows are small and reused by every warp.
__device__ __forceinline__ uint4 load_stream(const uint4* p) {
  uint4 v;
  asm volatile("ld.global.nc.L1::no_allocate.v4.u32 {%0,%1,%2,%3}, [%4];"
               : "=r"(v.x), "=r"(v.y), "=r"(v.z), "=r"(v.w)
               : "l"(p));
  return v;
}

// grid ceil(N / 8), block 256 (one warp per n). K % 8 == 0 and 16-byte aligned rows required.
// f32_out: y is float, else bf16. y row stride is N.
extern "C" __global__ void __launch_bounds__(256) gemv_bf16(const bf16* __restrict__ x,
                                                          const bf16* __restrict__ w,
                                                          void* __restrict__ y, int M, int N,
                                                          int K, int f32_out) {
  const int warp = threadIdx.x >> 5, lane = threadIdx.x & 31;
  const int n = blockIdx.x * (blockDim.x >> 5) + warp;
  if (n >= N) return;
  const uint4* wr = reinterpret_cast<const uint4*>(w + (size_t)n * K);
  const int chunks = K >> 3;
  float acc[MAX_M];
#pragma unroll
  for (int m = 0; m < MAX_M; m++) acc[m] = 0.f;
#pragma unroll 4
  for (int c = lane; c < chunks; c += 32) {
    float wf[8];
    unpack8(load_stream(wr + c), wf);
#pragma unroll
    for (int m = 0; m < MAX_M; m++) {
      if (m < M) {
        float xf[8];
        unpack8(__ldg(reinterpret_cast<const uint4*>(x + (size_t)m * K) + c), xf);
#pragma unroll
        for (int i = 0; i < 8; i++) acc[m] = fmaf(wf[i], xf[i], acc[m]);
      }
    }
  }
#pragma unroll
  for (int m = 0; m < MAX_M; m++) {
    if (m < M) {
      const float s = warp_sum(acc[m]);
      if (lane == 0) {
        if (f32_out) reinterpret_cast<float*>(y)[(size_t)m * N + n] = s;
        else reinterpret_cast<bf16*>(y)[(size_t)m * N + n] = to_bf(s);
      }
    }
  }
}
