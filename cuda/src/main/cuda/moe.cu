// Mixture-of-experts MLPs (Mixtral, Qwen2-MoE, Qwen3-MoE) on the device, with no host round trip,
// so that decode steps stay inside CUDA graphs:
//   moe_route    each token's top k experts and their weights: softmax over the router logits, or
//                sigmoids with a correction and expert groups (DeepSeek-V3);
//   moe_plan     the (token, choice) pairs grouped by expert in token order: where each expert's
//                rows start, the token of each grouped row and the grouped row of each pair;
//   moe_gemm     one expert's projection over its grouped rows (gate and up with the activation
//                fused, or down); moe_mma the same on tensor cores (bf16), moe_gemv for steps of
//                a few tokens;
//   moe_combine  each token's weighted sum over its k rows, plus Qwen2-MoE's gated shared expert.
// Every output element is summed in a fixed order whatever the step's other tokens, so a token's
// result does not depend on what it is batched with.
#include <limits.h>
#include "activation.cuh"
#include "async_copy.cuh"
#include "mma.cuh"

#define MOE_MAX_K 16
#define PLAN_THREADS 1024

__device__ __forceinline__ float finite_or_lowest(float v) { return v == v ? v : -INFINITY; }

// The router's options beside its logits: a bias per expert added to the logits (GPT-OSS); for
// sigmoid routing (DeepSeek-V3, GLM-4.5: "noaux_tc") the per-expert correction added to the scores
// only to choose; the number of expert groups and how many of them a token may use (DeepSeek-V2's
// group-limited greedy ranks a group by its best expert, V3 by the sum of its best two); and the
// factor on the final weights.
struct RouteOptions {
  const float* logit_bias;  // [E] or null
  int sigmoid;              // 0: softmax over all experts; 1: independent sigmoids
  const float* correction;  // [E] or null: added to the scores for choosing only
  int groups, kept_groups;  // groups of E / groups experts (1: no groups)
  int group_max;            // a group's score: 1 its best value, 0 the sum of its best two
  float scale;              // routed_scaling_factor (1 for most models)
};

// (value, index) pairs ordered by value, ties to the lower index.
__device__ __forceinline__ bool beats(float v, int i, float bv, int bi) { return v > bv || (v == bv && i < bi); }

// The warp's best (value, index) pair among its lanes' candidates.
__device__ __forceinline__ void warp_best(float& bv, int& be) {
#pragma unroll
  for (int o = 16; o > 0; o >>= 1) {
    const float ov = __shfl_xor_sync(0xffffffffu, bv, o);
    const int oe = __shfl_xor_sync(0xffffffffu, be, o);
    if (beats(ov, oe, bv, be)) {
      bv = ov;
      be = oe;
    }
  }
}

__device__ __forceinline__ float routed_logit(const float* l, const RouteOptions& o, int e) {
  return finite_or_lowest(l[e] + (o.logit_bias ? o.logit_bias[e] : 0.f));
}

// An expert's score: its sigmoid, or its softmax probability (base: the row's largest logit, sum:
// the softmax's denominator relative to it).
__device__ __forceinline__ float expert_score(const float* l, const RouteOptions& o, int e, float base, float sum) {
  const float v = routed_logit(l, o, e);
  return o.sigmoid ? 1.f / (1.f + __expf(-v)) : sum > 0.f ? __expf(v - base) / sum : 0.f;
}

// The value experts are chosen by: the score plus its correction where there is one (DeepSeek-V3's
// sigmoid scores, ERNIE 4.5's softmax ones), else softmax routing's logit (ranked as its
// probability); -inf where the expert's group was not kept, so that it is never chosen (as vLLM;
// transformers' masked 0 differs only where every kept value is negative).
__device__ __forceinline__ float choice_value(const float* l, const RouteOptions& o, int e, int group_size,
                                             unsigned kept, float base, float sum) {
  if (!((kept >> (e / group_size)) & 1u)) return -INFINITY;
  if (!o.sigmoid && !o.correction) return routed_logit(l, o, e);
  return expert_score(l, o, e, base, sum) + (o.correction ? o.correction[e] : 0.f);
}

// logits: [T, ld] f32 router logits (the first E columns are the experts'); grid T, block 32.
// choice, weight: [T, K]. With groups, each group is ranked by its best choice value (group_max) or
// the sum of its best two, and only the best kept_groups groups' experts may be chosen. Softmax
// routing: the top K of the softmax over all experts, renormalised where asked. Sigmoid routing:
// the top K by choice value, weighted by their sigmoid scores (renormalised where asked). A
// correction joins either kind of score for choosing only (ERNIE 4.5 corrects softmax scores,
// DeepSeek-V3 sigmoid ones). All: weights times scale; ties go to the lower index (as torch.topk); a NaN logit counts as -inf, so
// every choice is a valid, distinct expert.
extern "C" __global__ void moe_route(const float* __restrict__ logits, int ld, int E, int K, int normalize,
                                     const float* logit_bias, int sigmoid, const float* correction, int groups,
                                     int kept_groups, int group_max, float scale, int* __restrict__ choice,
                                     float* __restrict__ weight) {
  PDL_ENTER();
  const RouteOptions o{logit_bias, sigmoid, correction, groups, kept_groups, group_max, scale};
  const int t = blockIdx.x, lane = threadIdx.x;
  const float* l = logits + (size_t)t * ld;
  float base = 0.f, sum = 0.f;
  unsigned kept = 0xffffffffu;
  const int group_size = E / o.groups;
  if (!o.sigmoid) {
    float mx = -INFINITY;
    for (int e = lane; e < E; e += 32) mx = fmaxf(mx, routed_logit(l, o, e));
    mx = warp_max(mx);
    base = mx == -INFINITY ? 0.f : mx;
    for (int e = lane; e < E; e += 32) sum += __expf(routed_logit(l, o, e) - base);
    sum = warp_sum(sum);
  }
  if (o.groups > 1) {
    // each group's score: its best choice value, or the sum of its best two (lane g keeps group g's)
    float group_score = -INFINITY;
    for (int g = 0; g < o.groups; g++) {
      float b1 = -INFINITY, b2 = -INFINITY;
      int i1 = INT_MAX;
      for (int e = g * group_size + lane; e < (g + 1) * group_size; e += 32) {
        const float v = choice_value(l, o, e, group_size, 0xffffffffu, base, sum);
        if (beats(v, e, b1, i1)) {
          b2 = b1;
          b1 = v;
          i1 = e;
        } else {
          b2 = fmaxf(b2, v);
        }
      }
      float best = b1;
      int at = i1;
      warp_best(best, at);
      // the second best: this lane's best unless it was the winner, then its runner-up
      float second = at == i1 ? b2 : b1;
      second = warp_max(second);
      if (lane == g) group_score = o.group_max ? best : best + second;
    }
    kept = 0u;
    for (int i = 0; i < o.kept_groups; i++) {
      float bv = lane < o.groups && !((kept >> lane) & 1u) ? group_score : -INFINITY;
      int bg = lane < o.groups && !((kept >> lane) & 1u) ? lane : INT_MAX;
      warp_best(bv, bg);
      kept |= 1u << bg;
    }
  }
  int chosen[MOE_MAX_K];
  float p[MOE_MAX_K];
  float total = 0.f;
  for (int k = 0; k < K; k++) {
    float bv = -INFINITY;
    int be = INT_MAX;
    for (int e = lane; e < E; e += 32) {
      bool taken = false;
      for (int j = 0; j < k; j++) taken |= chosen[j] == e;
      const float v = choice_value(l, o, e, group_size, kept, base, sum);
      if (!taken && beats(v, e, bv, be)) {
        bv = v;
        be = e;
      }
    }
    warp_best(bv, be);
    chosen[k] = be;
    p[k] = expert_score(l, o, be, base, sum);  // without the correction
    total += p[k];
  }
  if (lane == 0) {
    // sigmoid weights renormalise as transformers does, over the sum plus 1e-20
    const float denominator = o.sigmoid ? total + 1e-20f : total;
    for (int k = 0; k < K; k++) {
      choice[t * K + k] = chosen[k];
      weight[t * K + k] = (normalize && denominator > 0.f ? p[k] / denominator : p[k]) * o.scale;
    }
  }
}

// One block of PLAN_THREADS over pairs = T * K choices (pair p is token p / K's choice p % K):
// offsets[e] is expert e's first grouped row (offsets[E] = pairs), row_token[r] the token of grouped
// row r, pair_row[p] the grouped row of pair p (and row_pair[r] its pair, where row_pair is not
// null). Within an expert the rows keep token order: each
// round of PLAN_THREADS pairs ranks its pairs by warp (match_any) and adds the counts of the warps
// and rounds before. Dynamic shared memory: (2 + 32) * E ints.
extern "C" __global__ void moe_plan(const int* __restrict__ choice, int pairs, int K, int E, int* __restrict__ offsets,
                                    int* __restrict__ row_token, int* __restrict__ pair_row, int* __restrict__ row_pair) {
  PDL_ENTER();
  extern __shared__ int plan_shared[];
  int* start = plan_shared;            // [E] first row of each expert
  int* done = plan_shared + E;         // [E] rows of each expert placed by earlier rounds
  int* warp_count = plan_shared + 2 * E;  // [32][E] this round's pairs of each expert, by warp
  const int tid = threadIdx.x, lane = tid & 31, warp = tid >> 5, warps = blockDim.x >> 5;
  for (int e = tid; e < E; e += blockDim.x) {
    start[e] = 0;
    done[e] = 0;
  }
  __syncthreads();
  for (int p = tid; p < pairs; p += blockDim.x) atomicAdd(&start[choice[p]], 1);
  __syncthreads();
  if (tid == 0) {
    int s = 0;
    for (int e = 0; e < E; e++) {
      const int count = start[e];
      start[e] = s;
      offsets[e] = s;
      s += count;
    }
    offsets[E] = s;
  }
  __syncthreads();
  for (int round = 0; round < pairs; round += blockDim.x) {
    for (int i = tid; i < warps * E; i += blockDim.x) warp_count[i] = 0;
    __syncthreads();
    const int p = round + tid;
    const int e = p < pairs ? choice[p] : -1;
    const unsigned peers = __match_any_sync(0xffffffffu, e);
    const int rank = __popc(peers & ((1u << lane) - 1u));
    if (e >= 0 && rank == 0) warp_count[warp * E + e] = __popc(peers);
    __syncthreads();
    if (e >= 0) {
      int before = 0;
      for (int w = 0; w < warp; w++) before += warp_count[w * E + e];
      const int row = start[e] + done[e] + before + rank;
      row_token[row] = p / K;
      pair_row[p] = row;
      if (row_pair) row_pair[row] = p;
    }
    __syncthreads();
    for (int i = tid; i < E; i += blockDim.x) {
      int s = 0;
      for (int w = 0; w < warps; w++) s += warp_count[w * E + i];
      done[i] += s;
    }
    __syncthreads();
  }
}

// Expert projections over grouped rows: block (x, y, z) computes columns [64x, 64x + 64) of grouped
// rows [32y, 32y + 32) of expert z (a block past the expert's rows returns at once).
//   x: input rows of width K; grouped row r reads x[row_token[r]] (row_token null: x[r]).
//   w: the experts' matrices one after another, each [N, K] (gated: [2N, K], gate rows then up rows).
//   bias: null, or the experts' biases one after another, each [N] (gated: [2N], gate then up),
//   added to the products (GPT-OSS).
//   act, alpha, limit: the gated activation (activation.cuh's expert_act).
//   row_weight, row_pair: where not null, grouped row r's input is scaled by row_weight[row_pair[r]]
//   before the gated products (Llama 4's router scores its experts' inputs); being linear, the
//   products are scaled instead.
//   out: [rows, N]; gated: act(gate . x) * (up . x), both products rounded to T first as the
//   unfused path's GEMM output is; else w . x.
// Tiles of 32 keys pass through shared memory as floats; each of the 256 threads accumulates rows
// ty and ty + 16 by columns tx + 16j (j < 4), so a warp's reads of the weight tile hit 16 banks.
// Expert e's bias of column n of matrix m (0 gate or the only one, 1 up) among its mats matrices of
// N columns; 0 without biases.
template <typename T>
__device__ __forceinline__ float expert_bias(const T* __restrict__ bias, int e, int mats, int N, int m, int n) {
  return bias ? to_f(bias[((size_t)e * mats + m) * N + n]) : 0.f;
}

// The factor on grouped row r's input (row_weight of its pair), 1 where inputs are not scaled.
__device__ __forceinline__ float input_scale(const float* __restrict__ row_weight, const int* __restrict__ row_pair,
                                             int r) {
  return row_weight ? row_weight[row_pair[r]] : 1.f;
}

#define MOE_BM 32
#define MOE_BN 64
#define MOE_BK 32
template <typename T>
__device__ __forceinline__ void moe_gemm_impl(const T* __restrict__ x, const int* __restrict__ row_token,
                                              const int* __restrict__ offsets, const T* __restrict__ w,
                                              const T* __restrict__ bias, T* __restrict__ out, int N, int K,
                                              int gated, int act, float alpha, float limit,
    const float* __restrict__ row_weight, const int* __restrict__ row_pair) {
  __shared__ float xs[MOE_BM][MOE_BK + 1];
  __shared__ float ws[2][MOE_BN][MOE_BK + 1];
  const int e = blockIdx.z;
  const int first = offsets[e], rows = offsets[e + 1] - first;
  const int r0 = blockIdx.y * MOE_BM, n0 = blockIdx.x * MOE_BN;
  if (r0 >= rows) return;
  const int mats = gated ? 2 : 1;
  const T* we = w + (size_t)e * mats * N * K;
  const int tid = threadIdx.x, tx = tid & 15, ty = tid >> 4;
  float acc[2][2][4] = {};  // [matrix][row i][column j]
  for (int k0 = 0; k0 < K; k0 += MOE_BK) {
    for (int i = tid; i < MOE_BM * MOE_BK; i += blockDim.x) {
      const int r = i / MOE_BK, kk = i % MOE_BK;
      float v = 0.f;
      if (r0 + r < rows && k0 + kk < K) {
        const int grouped = first + r0 + r;
        const int src = row_token ? row_token[grouped] : grouped;
        v = to_f(x[(size_t)src * K + k0 + kk]);
      }
      xs[r][kk] = v;
    }
    for (int m = 0; m < mats; m++) {
      for (int i = tid; i < MOE_BN * MOE_BK; i += blockDim.x) {
        const int n = i / MOE_BK, kk = i % MOE_BK;
        ws[m][n][kk] = n0 + n < N && k0 + kk < K ? to_f(we[((size_t)m * N + n0 + n) * K + k0 + kk]) : 0.f;
      }
    }
    __syncthreads();
#pragma unroll 8
    for (int kk = 0; kk < MOE_BK; kk++) {
      const float a0 = xs[ty][kk], a1 = xs[ty + 16][kk];
#pragma unroll
      for (int m = 0; m < 2; m++) {
        if (m >= mats) break;  // (unrolled, so that acc stays in registers)
#pragma unroll
        for (int j = 0; j < 4; j++) {
          const float b = ws[m][tx + 16 * j][kk];
          acc[m][0][j] += a0 * b;
          acc[m][1][j] += a1 * b;
        }
      }
    }
    __syncthreads();
  }
#pragma unroll
  for (int i = 0; i < 2; i++) {
    const int r = r0 + ty + 16 * i;
    if (r >= rows) continue;
    T* o = out + (size_t)(first + r) * N;
    const float s = input_scale(row_weight, row_pair, first + r);
#pragma unroll
    for (int j = 0; j < 4; j++) {
      const int n = n0 + tx + 16 * j;
      if (n >= N) continue;
      const float g = to_f(from_f<T>(s * acc[0][i][j] + expert_bias(bias, e, mats, N, 0, n)));
      const float u = gated ? to_f(from_f<T>(s * acc[1][i][j] + expert_bias(bias, e, 2, N, 1, n))) : 0.f;
      o[n] = from_f<T>(gated ? expert_act(g, u, act, alpha, limit) : g);
    }
  }
}

// The bf16 form of moe_gemm on tensor cores (mma.m16n8k16, f32 accumulators): blocks of MMA_BM
// grouped rows by 64 columns (of gate and of up where gated), 4 warps each taking 16 columns of
// all the rows; tiles of 32 keys stream into shared memory by cp.async, two stages, so the next
// tile loads while this one multiplies. Rows of 40 elements (80 bytes) put the fragment loads of
// a warp on 32 distinct banks. A block reads its weight columns once for MMA_BM rows, so the
// taller the tile, the fewer times an expert's weights cross L2 in a prefill step (64 rows read
// them half as often as moe_gemm's 32). Needs K % 8 == 0 (16-byte pieces); outputs as moe_gemm,
// grid (ceil(N / 64), ceil(rows / MMA_BM), E).
#define MMA_BM 64
#define MMA_MT (MMA_BM / 16)  // m-tiles of a warp
#define MMA_STRIDE (MOE_BK + 8)
__device__ __forceinline__ uint32_t smem_pair(const bf16* p) { return *reinterpret_cast<const uint32_t*>(p); }

__device__ __forceinline__ void moe_mma_impl(const bf16* __restrict__ x, const int* __restrict__ row_token,
                                             const int* __restrict__ offsets, const bf16* __restrict__ w,
                                             const bf16* __restrict__ bias, bf16* __restrict__ out, int N, int K,
                                             int gated, int act, float alpha, float limit,
    const float* __restrict__ row_weight, const int* __restrict__ row_pair) {
  __shared__ __align__(16) bf16 xs[2][MMA_BM][MMA_STRIDE];
  __shared__ __align__(16) bf16 ws[2][2][MOE_BN][MMA_STRIDE];  // [stage][matrix][column][key]
  const int e = blockIdx.z;
  const int first = offsets[e], rows = offsets[e + 1] - first;
  const int r0 = blockIdx.y * MMA_BM, n0 = blockIdx.x * MOE_BN;
  if (r0 >= rows) return;
  const int mats = gated ? 2 : 1;
  const bf16* we = w + (size_t)e * mats * N * K;
  const int tid = threadIdx.x, warp = tid >> 5, lane = tid & 31, gid = lane >> 2, tig = lane & 3;
  // this thread's 16-byte pieces: MMA_BM / 32 of x (rows xr + 32 i, piece xp) and up to four of the weights
  constexpr int XR = MMA_BM / 32;
  const int xr = tid >> 2, xp = tid & 3;
  bool x_live[XR];
  const bf16* x_row[XR];
#pragma unroll
  for (int i = 0; i < XR; i++) {
    x_live[i] = r0 + xr + 32 * i < rows;
    x_row[i] = x;
    if (x_live[i]) {
      const int grouped = first + r0 + xr + 32 * i;
      x_row[i] = x + (size_t)(row_token ? row_token[grouped] : grouped) * K;
    }
  }
  auto load_stage = [&](int stage, int k0) {
    const int kx = k0 + xp * 8;
#pragma unroll
    for (int i = 0; i < XR; i++) cp_async16(&xs[stage][xr + 32 * i][xp * 8], x_row[i] + kx, x_live[i] && kx < K);
#pragma unroll
    for (int i = 0; i < 4; i++) {
      const int c = tid + i * 128;  // 256 pieces a matrix: column c / 4, piece c % 4
      const int m = c >> 8, col = (c >> 2) & 63, piece = c & 3;
      const int n = n0 + col, kw = k0 + piece * 8;
      const bool live = m < mats && n < N && kw < K;
      cp_async16(&ws[stage][m][col][piece * 8], live ? we + ((size_t)m * N + n) * K + kw : we, live);
    }
    cp_async_commit();
  };
  float acc[2][MMA_MT][2][4] = {};  // [matrix][m tile][n tile][fragment]
  const int tiles = (K + MOE_BK - 1) / MOE_BK;
  load_stage(0, 0);
  for (int t = 0; t < tiles; t++) {
    const int stage = t & 1;
    if (t + 1 < tiles) {
      load_stage(stage ^ 1, (t + 1) * MOE_BK);
      cp_async_wait<1>();
    } else {
      cp_async_wait<0>();
    }
    __syncthreads();
#pragma unroll
    for (int ks = 0; ks < MOE_BK; ks += 16) {
      uint32_t a[MMA_MT][4];
#pragma unroll
      for (int mt = 0; mt < MMA_MT; mt++) {
        const bf16* r_lo = &xs[stage][mt * 16 + gid][ks + 2 * tig];
        const bf16* r_hi = &xs[stage][mt * 16 + gid + 8][ks + 2 * tig];
        a[mt][0] = smem_pair(r_lo);
        a[mt][1] = smem_pair(r_hi);
        a[mt][2] = smem_pair(r_lo + 8);
        a[mt][3] = smem_pair(r_hi + 8);
      }
#pragma unroll
      for (int m = 0; m < 2; m++) {
        if (m >= mats) break;
#pragma unroll
        for (int nt = 0; nt < 2; nt++) {
          const bf16* col = &ws[stage][m][warp * 16 + nt * 8 + gid][ks + 2 * tig];
          const uint32_t b0 = smem_pair(col), b1 = smem_pair(col + 8);
#pragma unroll
          for (int mt = 0; mt < MMA_MT; mt++) mma_bf16(acc[m][mt][nt], a[mt], b0, b1);
        }
      }
    }
    __syncthreads();  // the stage is loaded again two tiles on
  }
#pragma unroll
  for (int mt = 0; mt < MMA_MT; mt++) {
#pragma unroll
    for (int half = 0; half < 2; half++) {
      const int r = r0 + mt * 16 + gid + half * 8;
      if (r >= rows) continue;
      bf16* o = out + (size_t)(first + r) * N;
      const float s = input_scale(row_weight, row_pair, first + r);
#pragma unroll
      for (int nt = 0; nt < 2; nt++) {
#pragma unroll
        for (int j = 0; j < 2; j++) {
          const int n = n0 + warp * 16 + nt * 8 + 2 * tig + j;
          if (n >= N) continue;
          const float g = round_bf(s * acc[0][mt][nt][half * 2 + j] + expert_bias(bias, e, mats, N, 0, n));
          const float u = gated ? round_bf(s * acc[1][mt][nt][half * 2 + j] + expert_bias(bias, e, 2, N, 1, n)) : 0.f;
          o[n] = to_bf(gated ? expert_act(g, u, act, alpha, limit) : g);
        }
      }
    }
  }
}

extern "C" __global__ void __launch_bounds__(128) moe_mma(const bf16* x, const int* row_token, const int* offsets,
                                                          const bf16* w, const bf16* bias, bf16* out, int N, int K,
                                                          int gated, int act, float alpha, float limit,
                                                          const float* row_weight, const int* row_pair) {
  PDL_ENTER();
  moe_mma_impl(x, row_token, offsets, w, bias, out, N, K, gated, act, alpha, limit, row_weight, row_pair);
}

// The same products for steps of at most SKINNY_ROWS tokens (so no expert has more rows), where
// moe_gemm's 32-row tiles would be mostly empty and its scalar tile loads leave the weight stream
// latency-bound: each warp takes SKINNY_COLS output columns of one expert and streams their weight
// rows with 16-byte loads, 8 elements a lane, against the expert's rows read through L1. Needs
// K % 8 == 0. grid (ceil(N / (SKINNY_WARPS * SKINNY_COLS)), E), block 32 * SKINNY_WARPS.
#define SKINNY_ROWS 8
#define SKINNY_WARPS 8
#define SKINNY_COLS 2
template <typename T>
__device__ __forceinline__ void moe_gemv_impl(const T* __restrict__ x, const int* __restrict__ row_token,
                                              const int* __restrict__ offsets, const T* __restrict__ w,
                                              const T* __restrict__ bias, T* __restrict__ out, int N, int K,
                                              int gated, int act, float alpha, float limit,
    const float* __restrict__ row_weight, const int* __restrict__ row_pair) {
  const int e = blockIdx.y;
  const int first = offsets[e], rows = offsets[e + 1] - first;
  if (rows == 0) return;
  const int warp = threadIdx.x >> 5, lane = threadIdx.x & 31;
  const T* we = w + (size_t)e * (gated ? 2 : 1) * N * K;
  const T* xr[SKINNY_ROWS];
#pragma unroll
  for (int r = 0; r < SKINNY_ROWS; r++) {
    const int grouped = first + (r < rows ? r : 0);
    xr[r] = x + (size_t)(row_token ? row_token[grouped] : grouped) * K;
  }
  for (int c = 0; c < SKINNY_COLS; c++) {
    const int n = (blockIdx.x * SKINNY_WARPS + warp) * SKINNY_COLS + c;
    if (n >= N) return;
    float acc[2][SKINNY_ROWS] = {};
    for (int k = lane * 8; k < K; k += 256) {
      Raw8<T> graw, uraw;
      graw.load(we + (size_t)n * K + k);
      if (gated) uraw.load(we + (size_t)(N + n) * K + k);
      float g[8], u[8];
      graw.to_float(g);
      if (gated) uraw.to_float(u);
#pragma unroll
      for (int r = 0; r < SKINNY_ROWS; r++) {
        if (r >= rows) break;
        Raw8<T> xraw;
        xraw.load(xr[r] + k);
        float xv[8];
        xraw.to_float(xv);
#pragma unroll
        for (int i = 0; i < 8; i++) {
          acc[0][r] += g[i] * xv[i];
          if (gated) acc[1][r] += u[i] * xv[i];
        }
      }
    }
#pragma unroll
    for (int r = 0; r < SKINNY_ROWS; r++) {
      if (r >= rows) break;
      const float s = input_scale(row_weight, row_pair, first + r);
      const float gs = to_f(from_f<T>(s * warp_sum(acc[0][r]) + expert_bias(bias, e, gated ? 2 : 1, N, 0, n)));
      const float us = gated ? to_f(from_f<T>(s * warp_sum(acc[1][r]) + expert_bias(bias, e, 2, N, 1, n))) : 0.f;
      if (lane == 0) out[(size_t)(first + r) * N + n] = from_f<T>(gated ? expert_act(gs, us, act, alpha, limit) : gs);
    }
  }
}

// out[t] = sum over k of weight[t, k] * rows[pair_row[t, k]], plus sigmoid(shared_logit[t * ld]) *
// shared[t] where shared is not null (Qwen2-MoE's shared expert and its gate logit, the router's
// extra column; GraniteMoeShared's, with shared_logit null, ungated). grid (ceil(H / 256) capped,
// T), block 256.
template <typename T>
__device__ __forceinline__ void moe_combine_impl(const T* __restrict__ rows, const int* __restrict__ pair_row,
                                                 const float* __restrict__ weight, int K, const T* __restrict__ shared,
                                                 const float* __restrict__ shared_logit, int ld, T* __restrict__ out,
                                                 int H) {
  const int t = blockIdx.y;
  const float gate = !shared ? 0.f : shared_logit ? 1.f / (1.f + __expf(-shared_logit[(size_t)t * ld])) : 1.f;
  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < H; i += gridDim.x * blockDim.x) {
    float s = 0.f;
    for (int k = 0; k < K; k++) s += weight[t * K + k] * to_f(rows[(size_t)pair_row[t * K + k] * H + i]);
    if (shared) s += gate * to_f(shared[(size_t)t * H + i]);
    out[(size_t)t * H + i] = from_f<T>(s);
  }
}

#define MOE_ENTRIES(T, SUFFIX)                                                                             \
  extern "C" __global__ void __launch_bounds__(256) moe_gemm##SUFFIX(                                     \
      const T* x, const int* row_token, const int* offsets, const T* w, const T* bias, T* out, int N,      \
      int K, int gated, int act, float alpha, float limit, const float* row_weight, const int* row_pair) { \
    PDL_ENTER();                                                                                           \
    moe_gemm_impl<T>(x, row_token, offsets, w, bias, out, N, K, gated, act, alpha, limit, row_weight,       \
                     row_pair);                                                                            \
  }                                                                                                        \
  extern "C" __global__ void __launch_bounds__(256) moe_gemv##SUFFIX(                                     \
      const T* x, const int* row_token, const int* offsets, const T* w, const T* bias, T* out, int N,      \
      int K, int gated, int act, float alpha, float limit, const float* row_weight, const int* row_pair) { \
    PDL_ENTER();                                                                                           \
    moe_gemv_impl<T>(x, row_token, offsets, w, bias, out, N, K, gated, act, alpha, limit, row_weight,       \
                     row_pair);                                                                            \
  }                                                                                                        \
  extern "C" __global__ void moe_combine##SUFFIX(const T* rows, const int* pair_row, const float* weight,  \
                                                 int K, const T* shared, const float* shared_logit, int ld, \
                                                 T* out, int H) {                                          \
    PDL_ENTER();                                                                                           \
    moe_combine_impl<T>(rows, pair_row, weight, K, shared, shared_logit, ld, out, H);                      \
  }

MOE_ENTRIES(bf16, )
MOE_ENTRIES(float, _f32)
