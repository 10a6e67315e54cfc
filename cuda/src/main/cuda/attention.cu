// Attention over the paged KV cache, for decode tokens and prefill chunks alike: each query token
// attends causally to positions 0..position of its sequence. Work is split along the keys
// (flash-decoding): block (token, kv head, split) handles one partition of keys for all query heads
// sharing that kv head, with an online softmax per warp; attention_combine merges the splits.
#include "common.cuh"

#define WARPS 4

template <typename T, int DPL, int MAX_GROUP>
__device__ __forceinline__ void attention_impl(
    const T* __restrict__ q, int q_stride, const T* __restrict__ k_cache,
    const T* __restrict__ v_cache, const int* __restrict__ block_tables, int bt_stride,
    const int* __restrict__ token_seq, const int* __restrict__ positions, int block_size, int nq,
    int nkv, int D, float scale, int window, int partition, int splits,
    float* __restrict__ part_acc, float* __restrict__ part_ml, T* __restrict__ out,
    int out_stride, float softcap, const float* __restrict__ sinks, const float* __restrict__ alibi) {
  constexpr int DMAX = DPL * 32;
  __shared__ float sq[MAX_GROUP][DMAX];
  __shared__ float sm_m[WARPS][MAX_GROUP];
  __shared__ float sm_l[WARPS][MAX_GROUP];
  __shared__ float sm_acc[WARPS][MAX_GROUP][DMAX];
  const int t = blockIdx.x, g = blockIdx.y, s = blockIdx.z;
  const int warp = threadIdx.x >> 5, lane = threadIdx.x & 31;
  const int G = nq / nkv;
  const int ctx = positions[t] + 1;
  const int lo = first_key(ctx - 1, window);  // first key inside the sliding window or chunk
  const int start = max(s * partition, lo);
  const int end = min(ctx, s * partition + partition);
  if (start >= end) return;  // uniform over the block: this split has no key
  const int* bt = block_tables + (size_t)token_seq[t] * bt_stride;
  const T* qt = q + (size_t)t * q_stride + (size_t)g * G * D;
  for (int i = threadIdx.x; i < G * DMAX; i += blockDim.x) {
    const int gi = i / DMAX, d = i % DMAX;
    sq[gi][d] = d < D ? to_f(qt[gi * D + d]) * scale : 0.f;
  }
  __syncthreads();

  // Keys go 32 at a time to a warp, one key per lane for the scores (no reductions per key);
  // then the warp walks the 32 keys for p·V, each lane holding DPL consecutive dims.
  float m[MAX_GROUP], l[MAX_GROUP], acc[MAX_GROUP][DPL];
#pragma unroll
  for (int gi = 0; gi < MAX_GROUP; gi++) {
    m[gi] = -INFINITY;
    l[gi] = 0.f;
#pragma unroll
    for (int i = 0; i < DPL; i++) acc[gi][i] = 0.f;
  }
  const bool vec = (D % 8) == 0;
  for (int j0 = start + warp * 32; j0 < end; j0 += WARPS * 32) {
    const int j = j0 + lane;
    const bool live = j < end;
    size_t base = 0;
    if (live) base = (((size_t)bt[j / block_size] * block_size + j % block_size) * nkv + g) * D;
    float sc[MAX_GROUP];
#pragma unroll
    for (int gi = 0; gi < MAX_GROUP; gi++) sc[gi] = 0.f;
    if (live) {
      const T* kr = k_cache + base;
      if (vec) {
        // CHUNKS chunks of 8 dims (128 bytes) loaded before any is used: their latencies overlap
        constexpr int CHUNKS = sizeof(T) == 2 ? 8 : 4;
        for (int c0 = 0; c0 < D; c0 += 8 * CHUNKS) {
          Raw8<T> kv[CHUNKS];
#pragma unroll
          for (int u = 0; u < CHUNKS; u++) {
            const int c = c0 + 8 * u;
            if (c < D) kv[u].load(kr + c);
            else kv[u].zero();
          }
#pragma unroll
          for (int u = 0; u < CHUNKS; u++) {
            const int c = c0 + 8 * u;
            if (c >= D) break;
            float kf[8];
            kv[u].to_float(kf);
#pragma unroll
            for (int gi = 0; gi < MAX_GROUP; gi++) {
              if (gi < G) {
#pragma unroll
                for (int i = 0; i < 8; i++) sc[gi] = fmaf(sq[gi][c + i], kf[i], sc[gi]);
              }
            }
          }
        }
      } else {
        for (int d = 0; d < D; d++) {
          const float kf = to_f(kr[d]);
#pragma unroll
          for (int gi = 0; gi < MAX_GROUP; gi++) if (gi < G) sc[gi] = fmaf(sq[gi][d], kf, sc[gi]);
        }
      }
    }
    float p[MAX_GROUP];
#pragma unroll
    for (int gi = 0; gi < MAX_GROUP; gi++) {
      if (gi < G) {
        // q carries the scale
        const float v = live ? softcap_score(sc[gi], 1.f, softcap) + alibi_bias(alibi, g * G + gi, j, ctx - 1) : -INFINITY;
        const float mn = fmaxf(m[gi], warp_max(v));
        const float corr = __expf(m[gi] - mn);
        p[gi] = live ? __expf(v - mn) : 0.f;
        l[gi] = l[gi] * corr + warp_sum(p[gi]);
#pragma unroll
        for (int i = 0; i < DPL; i++) acc[gi][i] *= corr;
        m[gi] = mn;
      }
    }
    // p·V over the 32 keys, 8 at a time: the 8 value rows are loaded before they are used.
    // Keys past the end have p = 0 and read slot 0 of the first key's row (any valid address).
    const int d0 = lane * DPL;
    const bool own = d0 < D;
    const bool vec4 = DPL == 4 && (D & 3) == 0;
#pragma unroll 1
    for (int k0 = 0; k0 < 32 && j0 + k0 < end; k0 += 8) {
      float vf[8][DPL];
#pragma unroll
      for (int u = 0; u < 8; u++) {
        const size_t b = __shfl_sync(0xffffffffu, base, k0 + u);
        const T* vr = v_cache + b + d0;
        if (own && vec4) {
          float f4[4];
          load4(vr, f4);
          vf[u][0] = f4[0];
          vf[u][1 % DPL] = f4[1];
          vf[u][2 % DPL] = f4[2];
          vf[u][3 % DPL] = f4[3];
        } else {
#pragma unroll
          for (int i = 0; i < DPL; i++) vf[u][i] = own && d0 + i < D ? to_f(vr[i]) : 0.f;
        }
      }
#pragma unroll
      for (int gi = 0; gi < MAX_GROUP; gi++) {
        if (gi < G) {
#pragma unroll
          for (int u = 0; u < 8; u++) {
            const float pj = __shfl_sync(0xffffffffu, p[gi], k0 + u);
#pragma unroll
            for (int i = 0; i < DPL; i++) acc[gi][i] = fmaf(pj, vf[u][i], acc[gi][i]);
          }
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
      for (int i = 0; i < DPL; i++) sm_acc[warp][gi][lane * DPL + i] = acc[gi][i];
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
      out[(size_t)t * out_stride + h * D + d] = from_f<T>(A / (L + sink_weight(sinks, h, M, false)));
    } else {
      const size_t pidx = ((size_t)t * nq + h) * splits + s;
      part_acc[pidx * D + d] = A;
      if (d == 0) {
        part_ml[2 * pidx] = M;
        part_ml[2 * pidx + 1] = L;
      }
    }
  }
}

#define ATTENTION_ENTRY(NAME, T, DPL, GROUP)                                                    \
  extern "C" __global__ void __launch_bounds__(WARPS * 32) NAME(                                \
      const T* q, int q_stride, const T* k_cache, const T* v_cache,                             \
      const int* block_tables, int bt_stride, const int* token_seq, const int* positions,       \
      int block_size, int nq, int nkv, int D, float scale, int window, int partition,           \
      int splits, float* part_acc, float* part_ml, T* out, int out_stride, float softcap,       \
      const float* sinks, const float* alibi) {                                                 \
    PDL_ENTER();                                                                                \
    attention_impl<T, DPL, GROUP>(q, q_stride, k_cache, v_cache, block_tables, bt_stride,      \
                               token_seq, positions, block_size, nq, nkv, D, scale, window,    \
                               partition, splits, part_acc, part_ml, out, out_stride, softcap, \
                               sinks, alibi);                                                   \
  }

// One entry per head-dim class (lane i holds dims DPL*i .. DPL*i + DPL - 1, D up to 32 * DPL) and
// query-group class (up to GROUP query heads per kv head): registers are sized for the class, so
// small groups keep more warps resident. bf16 entries have no suffix, float entries end in _f32.
#define ATTENTION_GROUPS(D, DPL)                                     \
  ATTENTION_ENTRY(paged_attention_d##D##_g1, bf16, DPL, 1)           \
  ATTENTION_ENTRY(paged_attention_d##D##_g2, bf16, DPL, 2)           \
  ATTENTION_ENTRY(paged_attention_d##D##_g4, bf16, DPL, 4)           \
  ATTENTION_ENTRY(paged_attention_d##D##_g8, bf16, DPL, 8)           \
  ATTENTION_ENTRY(paged_attention_d##D##_g1_f32, float, DPL, 1)      \
  ATTENTION_ENTRY(paged_attention_d##D##_g2_f32, float, DPL, 2)      \
  ATTENTION_ENTRY(paged_attention_d##D##_g4_f32, float, DPL, 4)      \
  ATTENTION_ENTRY(paged_attention_d##D##_g8_f32, float, DPL, 8)

ATTENTION_GROUPS(32, 1)
ATTENTION_GROUPS(64, 2)
ATTENTION_GROUPS(128, 4)
ATTENTION_GROUPS(256, 8)

// Merges the splits of paged_attention (those that held keys): grid (T, nq), block 128.
template <typename T>
__device__ __forceinline__ void attention_combine_impl(const float* __restrict__ part_acc,
                                                       const float* __restrict__ part_ml,
                                                       const int* __restrict__ positions, int nq,
                                                       int D, int window, int partition,
                                                       int splits, T* __restrict__ out,
                                                       int out_stride, const float* __restrict__ sinks) {
  const int t = blockIdx.x, h = blockIdx.y;
  const int ctx = positions[t] + 1;
  const int lo = first_key(ctx - 1, window);
  const int first = lo / partition;
  const int n = min(splits, (ctx + partition - 1) / partition);
  const size_t p0 = ((size_t)t * nq + h) * splits;
  float M = -INFINITY;
  for (int s = first; s < n; s++) M = fmaxf(M, part_ml[2 * (p0 + s)]);
  float L = 0.f;
  for (int s = first; s < n; s++) L += part_ml[2 * (p0 + s) + 1] * __expf(part_ml[2 * (p0 + s)] - M);
  L += sink_weight(sinks, h, M, false);
  for (int d = threadIdx.x; d < D; d += blockDim.x) {
    float A = 0.f;
    for (int s = first; s < n; s++) A += part_acc[(p0 + s) * D + d] * __expf(part_ml[2 * (p0 + s)] - M);
    out[(size_t)t * out_stride + h * D + d] = from_f<T>(A / L);
  }
}

#define ATTENTION_COMBINE_ENTRY(T, SUFFIX)                                                      \
  extern "C" __global__ void attention_combine##SUFFIX(                                         \
      const float* part_acc, const float* part_ml, const int* positions, int nq, int D,         \
      int window, int partition, int splits, T* out, int out_stride, const float* sinks) {      \
    PDL_ENTER();                                                                                \
    attention_combine_impl<T>(part_acc, part_ml, positions, nq, D, window, partition, splits,   \
                              out, out_stride, sinks);                                          \
  }

ATTENTION_COMBINE_ENTRY(bf16, )
ATTENTION_COMBINE_ENTRY(float, _f32)
