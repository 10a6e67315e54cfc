// Attention over the paged KV cache, for decode tokens and prefill chunks alike: each query token
// attends causally to positions 0..position of its sequence. Work is split along the keys
// (flash-decoding): block (token, kv head, split) handles one partition of keys for all query heads
// sharing that kv head, with an online softmax per warp; attention_combine merges the splits.
#include "common.cuh"

#define WARPS 4
#define MAX_GROUP 8
#define UNROLL 4

template <int DPL>
__device__ __forceinline__ void attention_impl(
    const bf16* __restrict__ q, int q_stride, const bf16* __restrict__ k_cache,
    const bf16* __restrict__ v_cache, const int* __restrict__ block_tables, int bt_stride,
    const int* __restrict__ token_seq, const int* __restrict__ positions, int block_size, int nq,
    int nkv, int D, float scale, int window, int partition, int splits,
    float* __restrict__ part_acc, float* __restrict__ part_ml, bf16* __restrict__ out,
    int out_stride) {
  __shared__ float sm_m[WARPS][MAX_GROUP];
  __shared__ float sm_l[WARPS][MAX_GROUP];
  __shared__ float sm_acc[WARPS][MAX_GROUP][DPL * 32];
  const int t = blockIdx.x, g = blockIdx.y, s = blockIdx.z;
  const int warp = threadIdx.x >> 5, lane = threadIdx.x & 31;
  const int G = nq / nkv;
  const int ctx = positions[t] + 1;
  const int lo = window > 0 ? max(0, ctx - window) : 0;  // first key inside the sliding window
  const int start = max(s * partition, lo);
  const int end = min(ctx, s * partition + partition);
  if (start >= end) return;  // uniform over the block: this split has no key
  const int* bt = block_tables + (size_t)token_seq[t] * bt_stride;

  float qr[MAX_GROUP][DPL], acc[MAX_GROUP][DPL], m[MAX_GROUP], l[MAX_GROUP];
  const bf16* qt = q + (size_t)t * q_stride + (size_t)g * G * D;
#pragma unroll
  for (int gi = 0; gi < MAX_GROUP; gi++) {
    m[gi] = -INFINITY;
    l[gi] = 0.f;
#pragma unroll
    for (int i = 0; i < DPL; i++) {
      const int d = lane + 32 * i;
      qr[gi][i] = (gi < G && d < D) ? to_f(qt[gi * D + d]) * scale : 0.f;
      acc[gi][i] = 0.f;
    }
  }
  // Each warp takes UNROLL consecutive keys per round, loading all of them before using any, so
  // that several block-table and cache reads are in flight at once.
  for (int j0 = start + warp * UNROLL; j0 < end; j0 += WARPS * UNROLL) {
    float kr[UNROLL][DPL], vr[UNROLL][DPL];
#pragma unroll
    for (int u = 0; u < UNROLL; u++) {
      const int j = j0 + u;
      if (j < end) {
        const int blk = bt[j / block_size];
        const size_t base = (((size_t)blk * block_size + j % block_size) * nkv + g) * D;
#pragma unroll
        for (int i = 0; i < DPL; i++) {
          const int d = lane + 32 * i;
          kr[u][i] = d < D ? to_f(k_cache[base + d]) : 0.f;
          vr[u][i] = d < D ? to_f(v_cache[base + d]) : 0.f;
        }
      }
    }
#pragma unroll
    for (int u = 0; u < UNROLL; u++) {
      if (j0 + u >= end) break;
#pragma unroll
      for (int gi = 0; gi < MAX_GROUP; gi++) {
        if (gi < G) {
          float sc = 0.f;
#pragma unroll
          for (int i = 0; i < DPL; i++) sc += qr[gi][i] * kr[u][i];
          sc = warp_sum(sc);
          const float mn = fmaxf(m[gi], sc);
          const float corr = __expf(m[gi] - mn), p = __expf(sc - mn);
          l[gi] = l[gi] * corr + p;
#pragma unroll
          for (int i = 0; i < DPL; i++) acc[gi][i] = acc[gi][i] * corr + p * vr[u][i];
          m[gi] = mn;
        }
      }
    }
  }
#pragma unroll
  for (int gi = 0; gi < MAX_GROUP; gi++) {
    if (gi < G) {
      if (lane == 0) {
        sm_m[warp][gi] = m[gi];
        sm_l[warp][gi] = l[gi];
      }
#pragma unroll
      for (int i = 0; i < DPL; i++) sm_acc[warp][gi][lane + 32 * i] = acc[gi][i];
    }
  }
  __syncthreads();
  for (int idx = threadIdx.x; idx < G * D; idx += blockDim.x) {
    const int gi = idx / D, d = idx % D;
    float M = -INFINITY;
    for (int w = 0; w < WARPS; w++) M = fmaxf(M, sm_m[w][gi]);
    float L = 0.f, A = 0.f;
    for (int w = 0; w < WARPS; w++) {
      const float f = __expf(sm_m[w][gi] - M);  // 0 for a warp that saw no key
      L += sm_l[w][gi] * f;
      A += sm_acc[w][gi][d] * f;
    }
    const int h = g * G + gi;
    if (splits == 1) {
      out[(size_t)t * out_stride + h * D + d] = to_bf(A / L);
    } else {
      const size_t p = ((size_t)t * nq + h) * splits + s;
      part_acc[p * D + d] = A;
      if (d == 0) {
        part_ml[2 * p] = M;
        part_ml[2 * p + 1] = L;
      }
    }
  }
}

#define ATTENTION_ENTRY(NAME, DPL)                                                              \
  extern "C" __global__ void __launch_bounds__(WARPS * 32) NAME(                                \
      const bf16* q, int q_stride, const bf16* k_cache, const bf16* v_cache,                    \
      const int* block_tables, int bt_stride, const int* token_seq, const int* positions,       \
      int block_size, int nq, int nkv, int D, float scale, int window, int partition,           \
      int splits, float* part_acc, float* part_ml, bf16* out, int out_stride) {                 \
    attention_impl<DPL>(q, q_stride, k_cache, v_cache, block_tables, bt_stride, token_seq,     \
                        positions, block_size, nq, nkv, D, scale, window, partition, splits,    \
                        part_acc, part_ml, out, out_stride);                                    \
  }

// One entry per head-dim class: lane i holds dims i, i+32, ... (D up to 32 * DPL).
ATTENTION_ENTRY(paged_attention_d32, 1)
ATTENTION_ENTRY(paged_attention_d64, 2)
ATTENTION_ENTRY(paged_attention_d128, 4)
ATTENTION_ENTRY(paged_attention_d256, 8)

// Merges the splits of paged_attention (those that held keys): grid (T, nq), block 128.
extern "C" __global__ void attention_combine(const float* __restrict__ part_acc,
                                             const float* __restrict__ part_ml,
                                             const int* __restrict__ positions, int nq, int D,
                                             int window, int partition, int splits,
                                             bf16* __restrict__ out, int out_stride) {
  const int t = blockIdx.x, h = blockIdx.y;
  const int ctx = positions[t] + 1;
  const int lo = window > 0 ? max(0, ctx - window) : 0;
  const int first = lo / partition;
  const int n = min(splits, (ctx + partition - 1) / partition);
  const size_t p0 = ((size_t)t * nq + h) * splits;
  float M = -INFINITY;
  for (int s = first; s < n; s++) M = fmaxf(M, part_ml[2 * (p0 + s)]);
  float L = 0.f;
  for (int s = first; s < n; s++) L += part_ml[2 * (p0 + s) + 1] * __expf(part_ml[2 * (p0 + s)] - M);
  for (int d = threadIdx.x; d < D; d += blockDim.x) {
    float A = 0.f;
    for (int s = first; s < n; s++) A += part_acc[(p0 + s) * D + d] * __expf(part_ml[2 * (p0 + s)] - M);
    out[(size_t)t * out_stride + h * D + d] = to_bf(A / L);
  }
}
