// Paged attention, version 2 (-Dbarista.cuda.decodeAttention=v2; attention.cu is version 1): the
// same parameters and results as paged_attention (grid (tokens, kv heads, splits), partial results
// merged by decode_attention_combine), built to read the KV cache near memory bandwidth at large
// decode batches. Unlike version 1, each token's keys are cut into the splits after its own
// context (token_partition; `partition` is only the least keys a split gets), so no split sits
// idle when a launch is planned for a longer context. Per block (one query token, one kv head, one
// split of its keys):
//  - keys and values stream through shared memory TK at a time in a STAGES-deep (3) cp.async pipeline
//    (STAGES - 1 tiles in flight while one is used; TK = 32 keys, 16 for DP 256), each row read
//    once for all query heads of the kv head's group, in 16-byte pieces coalesced across the block;
//  - each warp takes TK / WARPS keys of a tile; LPK = DP / 8 lanes share one key, each holding
//    8 dims of K, V, the queries and the output, so the shared-memory reads are 16 bytes per lane
//    and conflict-free; a key's dot product is summed over its LPK lanes by xor shuffles;
//  - the online softmax rescales once per tile; each lane keeps partial sums over the keys it saw,
//    summed over the warp and merged across warps at the end.
// Head dims: multiples of 8 up to 256, run by the entry of the next class DP in {32, 64, 128, 256}
// (dims D..DP-1 are zero); other head dims use version 1.
#include "common.cuh"
#include "async_copy.cuh"
#include "mma.cuh"

namespace {
constexpr int THREADS = 128;
constexpr int WARPS = THREADS / 32;
constexpr int COMBINE_STAGED = 512;  // split weights the merge keeps in shared memory
constexpr int STAGES = 3;  // tiles of the pipeline (two in flight: ample bytes, 4 blocks per SM)
// Keys per shared-memory tile: 32, or 16 for DP 256 (whose score registers would spill).
template <int DP>
__host__ __device__ constexpr int tile_keys() { return DP >= 256 ? 16 : 32; }

// Keys per split of a token that attends to n keys: its keys cut evenly into the splits (whole
// 16s), but no fewer than min_partition a split; the splits past ceil(n / that) have no key. The
// cut follows each token's own context, so a launch planned (or a graph captured) for a longer
// context than the tokens have still gives every split work.
__device__ __forceinline__ int token_partition(int n, int min_partition, int splits) {
  const int even = ((n + splits - 1) / splits + 15) / 16 * 16;
  return max(min_partition, even);
}

// This block's keys (blockIdx: token, kv head, split): [start, end) of its token's context, in
// ntiles tiles of tk keys, with the sequence's block table; start >= end: the split has none.
struct SplitKeys {
  int ctx, start, end, ntiles;
  const int* bt;
};
__device__ __forceinline__ SplitKeys split_keys(const int* __restrict__ positions, const int* __restrict__ block_tables,
                                                int bt_stride, const int* __restrict__ token_seq, int window,
                                                int partition, int splits, int tk) {
  const int ctx = positions[blockIdx.x] + 1;
  const int lo = first_key(ctx - 1, window);  // first key inside the sliding window or chunk
  const int part_t = token_partition(ctx - lo, partition, splits);
  const int start = lo + blockIdx.z * part_t;
  const int end = min(ctx, start + part_t);
  return SplitKeys{ctx, start, end, (end - start + tk - 1) / tk, block_tables + (size_t)token_seq[blockIdx.x] * bt_stride};
}

// The first NS - 1 tiles of TK keys into stages of shared memory (rows of STRIDE elements), then
// the wait for the kernel before. Positions, block tables and the keys of earlier steps do not
// depend on that kernel; the newest fresh_keys keys of the context and q do. Tiles before them
// stream in while it finishes (programmatic dependent launch); the rest wait for it.
template <int TK, int DP, int STRIDE, int NS>
__device__ __forceinline__ void first_tiles(bf16* smem, const SplitKeys& sk, int fresh_keys,
                                            const bf16* __restrict__ k_cache, const bf16* __restrict__ v_cache,
                                            int block_size, int nkv, int g, int D) {
  const int fresh_from = sk.ctx - fresh_keys;
  bool waited = false;
#pragma unroll
  for (int st = 0; st < NS - 1; st++) {  // the first tiles stream in while q is read
    bf16* k = smem + st * 2 * TK * STRIDE;
    if (st < sk.ntiles) {
      if (!waited && sk.start + (st + 1) * TK > fresh_from) {
        pdl_wait();
        waited = true;
      }
      cp_async_kv_tile<TK, DP, STRIDE, THREADS>(k, k + TK * STRIDE, k_cache, v_cache, sk.bt, block_size, nkv, g, D,
                                                sk.start + st * TK, sk.end);
    }
    cp_async_commit();  // empty groups too: the waits count groups
  }
  if (!waited) pdl_wait();
  pdl_launch_dependents();
}

// Tile `it` of the pipeline: waits until it has landed (this thread's pieces, then everyone's; the
// stage of tile it - 1 is then free again) and starts tile it + NS - 1 into that stage.
template <int TK, int DP, int STRIDE, int NS>
__device__ __forceinline__ void next_tile(bf16* smem, const SplitKeys& sk, int it, const bf16* __restrict__ k_cache,
                                          const bf16* __restrict__ v_cache, int block_size, int nkv, int g, int D) {
  cp_async_wait<NS - 2>();
  __syncthreads();
  const int nx = it + NS - 1;
  bf16* nk = smem + (nx % NS) * 2 * TK * STRIDE;
  if (nx < sk.ntiles) {
    cp_async_kv_tile<TK, DP, STRIDE, THREADS>(nk, nk + TK * STRIDE, k_cache, v_cache, sk.bt, block_size, nkv, g, D,
                                              sk.start + nx * TK, sk.end);
  }
  cp_async_commit();
}

// The warps' partial results of this block merged and stored: the outputs when the token has one
// split, else the split's partial sums and (max, sum) for the combine kernel. Per warp w and query
// head gi: sm_acc[(w * ROWS + gi) * DP + d], sm_m and sm_l at w * ROWS + gi; maxima in natural-log
// units, or base 2 (BASE2), which the partials are converted from.
template <bool BASE2>
__device__ __forceinline__ void store_merged(const float* sm_acc, const float* sm_m, const float* sm_l, int rows,
                                             int dp, int G, int D, int nq, int splits,
                                             float* __restrict__ part_acc, float* __restrict__ part_ml,
                                             bf16* __restrict__ out, int out_stride,
                                             const float* __restrict__ sinks) {
  const int t = blockIdx.x, g = blockIdx.y, s = blockIdx.z;
  for (int idx = threadIdx.x; idx < G * D; idx += THREADS) {
    const int gi = idx / D, d = idx % D;
    float M = -INFINITY;
    for (int w = 0; w < WARPS; w++) M = fmaxf(M, sm_m[w * rows + gi]);
    float L = 0.f, A = 0.f;
    for (int w = 0; w < WARPS; w++) {
      const float e = sm_m[w * rows + gi] - M;
      const float f = BASE2 ? exp2_approx(e) : __expf(e);  // 0 for a warp that saw no key
      L += sm_l[w * rows + gi] * f;
      A += sm_acc[(w * rows + gi) * dp + d] * f;
    }
    const int h = g * G + gi;
    if (splits == 1) {
      out[(size_t)t * out_stride + h * D + d] = to_bf(A / (L + sink_weight(sinks, h, M, BASE2)));
    } else {
      const size_t pidx = ((size_t)t * nq + h) * splits + s;
      part_acc[pidx * D + d] = A;
      if (d == 0) {
        part_ml[2 * pidx] = BASE2 ? M * 0.6931471805599453f : M;  // ln 2: the combine kernel's units
        part_ml[2 * pidx + 1] = L;
      }
    }
  }
}

template <int DP, int MAX_GROUP>
__device__ __forceinline__ void decode_impl(
    const bf16* __restrict__ q, int q_stride, const bf16* __restrict__ k_cache,
    const bf16* __restrict__ v_cache, const int* __restrict__ block_tables, int bt_stride,
    const int* __restrict__ token_seq, const int* __restrict__ positions, int block_size, int nq,
    int nkv, int D, float scale, int window, int partition, int splits,
    float* __restrict__ part_acc, float* __restrict__ part_ml, bf16* __restrict__ out,
    int out_stride, int fresh_keys, float softcap, const float* __restrict__ sinks,
    const float* __restrict__ alibi) {
  constexpr int TK = tile_keys<DP>();
  constexpr int ROWS_PER_WARP = TK / WARPS;  // keys of a tile each warp takes
  constexpr int LPK = DP / 8;    // lanes per key
  constexpr int KPP = 32 / LPK;  // keys per pass of a warp
  constexpr int PASSES = ROWS_PER_WARP / KPP;
  static_assert(PASSES >= 1 && ROWS_PER_WARP % KPP == 0, "a warp's keys are whole passes");
  static_assert(WARPS * MAX_GROUP * (DP + 2) * 4 <= STAGES * 2 * TK * DP * 2, "merge fits the stages");
  extern __shared__ __align__(16) unsigned char smem_raw[];
  bf16* smem = reinterpret_cast<bf16*>(smem_raw);  // [stage][K, V][TK][DP]

  const int t = blockIdx.x, g = blockIdx.y;
  const int warp = threadIdx.x >> 5, lane = threadIdx.x & 31;
  const int sub = lane / LPK, part = lane % LPK;  // which key of a pass, which 8 dims
  const int G = nq / nkv;
  const SplitKeys keys = split_keys(positions, block_tables, bt_stride, token_seq, window, partition, splits, TK);
  if (keys.start >= keys.end) return;  // uniform over the block: this split has no key
  first_tiles<TK, DP, DP, STAGES>(smem, keys, fresh_keys, k_cache, v_cache, block_size, nkv, g, D);
  const int start = keys.start, end = keys.end, ntiles = keys.ntiles;

  // This lane's 8 dims of each query head of the group, scaled.
  float qr[MAX_GROUP][8];
  const bf16* qt = q + (size_t)t * q_stride + (size_t)g * G * D;
#pragma unroll
  for (int gi = 0; gi < MAX_GROUP; gi++) {
#pragma unroll
    for (int i = 0; i < 8; i++) {
      const int d = part * 8 + i;
      qr[gi][i] = gi < G && d < D ? to_f(qt[gi * D + d]) * scale : 0.f;
    }
  }
  float m[MAX_GROUP], l[MAX_GROUP], acc[MAX_GROUP][8];
#pragma unroll
  for (int gi = 0; gi < MAX_GROUP; gi++) {
    m[gi] = -INFINITY;
    l[gi] = 0.f;
#pragma unroll
    for (int i = 0; i < 8; i++) acc[gi][i] = 0.f;
  }

  for (int it = 0; it < ntiles; it++) {
    next_tile<TK, DP, DP, STAGES>(smem, keys, it, k_cache, v_cache, block_size, nkv, g, D);
    const bf16* sk = smem + (it % STAGES) * 2 * TK * DP;
    const bf16* sv = sk + TK * DP;
    const int j0 = start + it * TK;

    float sc[PASSES][MAX_GROUP];
#pragma unroll
    for (int p = 0; p < PASSES; p++) {
      const int r = warp * ROWS_PER_WARP + p * KPP + sub;
      float kf[8];
      unpack8(*reinterpret_cast<const uint4*>(sk + r * DP + part * 8), kf);
#pragma unroll
      for (int gi = 0; gi < MAX_GROUP; gi++) {
        if (gi < G) {
          float dot = 0.f;
#pragma unroll
          for (int i = 0; i < 8; i++) dot = fmaf(qr[gi][i], kf[i], dot);
#pragma unroll
          for (int o = LPK / 2; o > 0; o >>= 1) dot += __shfl_xor_sync(0xffffffffu, dot, o);
          // q carries the scale
          sc[p][gi] = j0 + r < end ? softcap_score(dot, 1.f, softcap) + alibi_bias(alibi, g * G + gi, j0 + r, positions[t])
                                   : -INFINITY;
        }
      }
    }
#pragma unroll
    for (int gi = 0; gi < MAX_GROUP; gi++) {
      if (gi < G) {
        float mt = -INFINITY;
#pragma unroll
        for (int p = 0; p < PASSES; p++) mt = fmaxf(mt, sc[p][gi]);
#pragma unroll
        for (int o = LPK; o < 32; o <<= 1) mt = fmaxf(mt, __shfl_xor_sync(0xffffffffu, mt, o));
        const float mn = fmaxf(m[gi], mt);  // the same in every lane of the warp
        if (mn == -INFINITY) {              // no key for this warp yet: nothing to add
#pragma unroll
          for (int p = 0; p < PASSES; p++) sc[p][gi] = 0.f;
        } else {
          const float corr = __expf(m[gi] - mn);  // 0 while m is -inf
          m[gi] = mn;
          l[gi] *= corr;
#pragma unroll
          for (int i = 0; i < 8; i++) acc[gi][i] *= corr;
#pragma unroll
          for (int p = 0; p < PASSES; p++) {
            sc[p][gi] = __expf(sc[p][gi] - mn);  // 0 for keys past the end
            l[gi] += sc[p][gi];
          }
        }
      }
    }
#pragma unroll
    for (int p = 0; p < PASSES; p++) {
      const int r = warp * ROWS_PER_WARP + p * KPP + sub;
      float vf[8];
      unpack8(*reinterpret_cast<const uint4*>(sv + r * DP + part * 8), vf);
#pragma unroll
      for (int gi = 0; gi < MAX_GROUP; gi++) {
        if (gi < G) {
#pragma unroll
          for (int i = 0; i < 8; i++) acc[gi][i] = fmaf(sc[p][gi], vf[i], acc[gi][i]);
        }
      }
    }
  }
  cp_async_wait<0>();
  __syncthreads();  // the stages are reused below

  // Sum over the keys of a pass (lanes of one part share m), then merge the warps.
  float* sm_acc = reinterpret_cast<float*>(smem_raw);  // [WARPS][MAX_GROUP][DP]
  float* sm_m = sm_acc + WARPS * MAX_GROUP * DP;       // [WARPS][MAX_GROUP]
  float* sm_l = sm_m + WARPS * MAX_GROUP;
#pragma unroll
  for (int gi = 0; gi < MAX_GROUP; gi++) {
    if (gi < G) {
#pragma unroll
      for (int o = LPK; o < 32; o <<= 1) {
        l[gi] += __shfl_xor_sync(0xffffffffu, l[gi], o);
#pragma unroll
        for (int i = 0; i < 8; i++) acc[gi][i] += __shfl_xor_sync(0xffffffffu, acc[gi][i], o);
      }
      if (sub == 0) {
        float4* dst = reinterpret_cast<float4*>(sm_acc + (warp * MAX_GROUP + gi) * DP + part * 8);
        dst[0] = make_float4(acc[gi][0], acc[gi][1], acc[gi][2], acc[gi][3]);
        dst[1] = make_float4(acc[gi][4], acc[gi][5], acc[gi][6], acc[gi][7]);
        if (part == 0) {
          sm_m[warp * MAX_GROUP + gi] = m[gi];
          sm_l[warp * MAX_GROUP + gi] = l[gi];
        }
      }
    }
  }
  __syncthreads();
  store_merged<false>(sm_acc, sm_m, sm_l, MAX_GROUP, DP, G, D, nq, splits, part_acc, part_ml, out, out_stride, sinks);
}

// The same attention on tensor cores, for query groups of 3 to 16 heads (GQA as in Llama 3 and
// Qwen3-8B), where the CUDA-core dot products above, a shuffle tree per head and key, bound the
// kernel to about half the memory bandwidth at large batches. The group's query heads are the 16
// rows of an mma A operand (rows past the group are zeros); each warp takes 16 keys of a 64-key
// tile: Q·Kᵀ as two m16n8k16 n-tiles over the head dim, an online softmax per row (base-2, the
// scale folded in), and P (bf16) · V as one k-step per 8 output dims, as in flash_attention.cu
// (fragment layouts: mma.cuh). Warps merge through shared memory at the end, and the
// results (outputs, or split partials in natural-log units) are the same as decode_impl's, so
// plans and the combine kernel are shared.
constexpr int MMA_TK = 64;    // keys per tile: 16 a warp
constexpr int MMA_PAD = 8;    // bf16 of padding a row: rows start 4 banks apart
constexpr int MMA_ROWS = 16;  // query heads of a group an A operand holds
// Double buffering (as flash_attention.cu): 68 KiB a block at head dim 128, three blocks a
// multiprocessor; measured 3.2% faster a Llama-3.1-8B batch-256 decode step than three stages
// (two blocks a multiprocessor).
constexpr int MMA_STAGES = 2;
constexpr float LOG2E = 1.4426950408889634f;
static_assert(MMA_TK == WARPS * 16, "16 keys a warp");

// Two probabilities as a bf16 pair (hi) and their rounding errors as another (lo): hi + lo carries
// ~16 significant bits, about what the CUDA-core kernel's f32 products keep (bf16 P alone moved a
// reference model's greedy token at margin 0.028).
__device__ __forceinline__ void split_bf16x2(float x, float y, uint32_t& hi, uint32_t& lo) {
  const __nv_bfloat162 h = __floats2bfloat162_rn(x, y);
  const float2 hf = __bfloat1622float2(h);
  const __nv_bfloat162 l = __floats2bfloat162_rn(x - hf.x, y - hf.y);
  hi = *reinterpret_cast<const uint32_t*>(&h);
  lo = *reinterpret_cast<const uint32_t*>(&l);
}

template <int DP, int MS>  // MS: pipeline stages
__device__ __forceinline__ void decode_mma_impl(
    const bf16* __restrict__ q, int q_stride, const bf16* __restrict__ k_cache,
    const bf16* __restrict__ v_cache, const int* __restrict__ block_tables, int bt_stride,
    const int* __restrict__ token_seq, const int* __restrict__ positions, int block_size, int nq,
    int nkv, int D, float scale, int window, int partition, int splits,
    float* __restrict__ part_acc, float* __restrict__ part_ml, bf16* __restrict__ out,
    int out_stride, int fresh_keys, float softcap, const float* __restrict__ sinks,
    const float* __restrict__ alibi) {
  constexpr int TK = MMA_TK, STRIDE = DP + MMA_PAD;
  constexpr int KSTEPS = DP / 16;  // k-steps of Q·Kᵀ over the head dim
  constexpr int DTILES = DP / 8;   // n-tiles of P·V over the head dim
  static_assert(WARPS * MMA_ROWS * (DP + 2) * 4 <= MS * 2 * TK * STRIDE * 2, "merge fits the stages");
  extern __shared__ __align__(16) unsigned char smem_raw[];
  bf16* smem = reinterpret_cast<bf16*>(smem_raw);  // [stage][K, V][TK][STRIDE]

  const int t = blockIdx.x, g = blockIdx.y;
  const int warp = threadIdx.x >> 5, lane = threadIdx.x & 31, gid = lane >> 2, tig = lane & 3;
  const int G = nq / nkv;
  const SplitKeys keys = split_keys(positions, block_tables, bt_stride, token_seq, window, partition, splits, TK);
  if (keys.start >= keys.end) return;  // uniform over the block: this split has no key
  first_tiles<TK, DP, STRIDE, MS>(smem, keys, fresh_keys, k_cache, v_cache, block_size, nkv, g, D);
  const int start = keys.start, end = keys.end, ntiles = keys.ntiles;

  // the group's query heads as A fragments over the whole head dim: rows gid and gid + 8
  uint32_t qf[KSTEPS][4];
  {
    const bool live0 = gid < G, live1 = gid + 8 < G;
    const bf16* q0 = q + (size_t)t * q_stride + (size_t)(g * G + gid) * D;
    const bf16* q1 = q0 + 8 * D;
    load_q_fragments<KSTEPS>(qf, q0, q1, live0, live1, tig, D);
  }
  float o[DTILES][4];
#pragma unroll
  for (int dt = 0; dt < DTILES; dt++) o[dt][0] = o[dt][1] = o[dt][2] = o[dt][3] = 0.f;
  float m0 = -INFINITY, m1 = -INFINITY, l0 = 0.f, l1 = 0.f;  // l: this thread's part of a row's sum
  const float sl2 = scale * LOG2E;
  // ALiBi slopes of this thread's two rows (query heads gid and gid + 8), in base-2 units
  const float alibi0 = alibi && gid < G ? alibi[g * G + gid] * LOG2E : 0.f;
  const float alibi1 = alibi && gid + 8 < G ? alibi[g * G + gid + 8] * LOG2E : 0.f;
  const int pos = positions[t];

  for (int it = 0; it < ntiles; it++) {
    next_tile<TK, DP, STRIDE, MS>(smem, keys, it, k_cache, v_cache, block_size, nkv, g, D);
    const int j0 = start + it * TK + warp * 16;  // this warp's 16 keys
    if (j0 >= end) continue;                     // warp-uniform
    const bf16* sk = smem + (it % MS) * 2 * TK * STRIDE + warp * 16 * STRIDE;
    const unsigned short* sv = reinterpret_cast<const unsigned short*>(sk + TK * STRIDE);
    float sc[2][4];
#pragma unroll
    for (int nt = 0; nt < 2; nt++) sc[nt][0] = sc[nt][1] = sc[nt][2] = sc[nt][3] = 0.f;
#pragma unroll
    for (int ks = 0; ks < KSTEPS; ks++) {
#pragma unroll
      for (int nt = 0; nt < 2; nt++) {
        const bf16* kr = sk + (nt * 8 + gid) * STRIDE + ks * 16 + tig * 2;
        mma_bf16(sc[nt], qf[ks], *reinterpret_cast<const uint32_t*>(kr), *reinterpret_cast<const uint32_t*>(kr + 8));
      }
    }
#pragma unroll
    for (int nt = 0; nt < 2; nt++) {
#pragma unroll
      for (int e = 0; e < 2; e++) {
        const int j = j0 + nt * 8 + tig * 2 + e;
        const bool valid = j < end;
        sc[nt][e] = valid ? softcap_score(sc[nt][e], scale, softcap) * sl2 + alibi0 * (float)(j - pos) : -INFINITY;
        sc[nt][2 + e] = valid ? softcap_score(sc[nt][2 + e], scale, softcap) * sl2 + alibi1 * (float)(j - pos) : -INFINITY;
      }
    }
    online_softmax_step<2, DTILES>(sc, o, m0, m1, l0, l1);
    // P·V: the C fragments of the two key n-tiles are the A fragment of one 16-key k-step, taken
    // twice (P's bf16 part, then its rounding error)
    uint32_t a[4], b[4];
    split_bf16x2(sc[0][0], sc[0][1], a[0], b[0]);
    split_bf16x2(sc[0][2], sc[0][3], a[1], b[1]);
    split_bf16x2(sc[1][0], sc[1][1], a[2], b[2]);
    split_bf16x2(sc[1][2], sc[1][3], a[3], b[3]);
    const unsigned short* vk = sv + (tig * 2) * STRIDE + gid;
    pv_kstep<DTILES, STRIDE>(o, a, vk);
    pv_kstep<DTILES, STRIDE>(o, b, vk);
  }
  cp_async_wait<0>();
  __syncthreads();  // the stages are reused below

  l0 += __shfl_xor_sync(0xffffffffu, l0, 1);
  l0 += __shfl_xor_sync(0xffffffffu, l0, 2);
  l1 += __shfl_xor_sync(0xffffffffu, l1, 1);
  l1 += __shfl_xor_sync(0xffffffffu, l1, 2);
  float* sm_acc = reinterpret_cast<float*>(smem_raw);  // [WARPS][MMA_ROWS][DP]
  float* sm_m = sm_acc + WARPS * MMA_ROWS * DP;         // [WARPS][MMA_ROWS], base-2 units
  float* sm_l = sm_m + WARPS * MMA_ROWS;
  {
    float* r0 = sm_acc + (warp * MMA_ROWS + gid) * DP;
    float* r1 = r0 + 8 * DP;
#pragma unroll
    for (int dt = 0; dt < DTILES; dt++) {
      *reinterpret_cast<float2*>(r0 + dt * 8 + tig * 2) = make_float2(o[dt][0], o[dt][1]);
      *reinterpret_cast<float2*>(r1 + dt * 8 + tig * 2) = make_float2(o[dt][2], o[dt][3]);
    }
    if (tig == 0) {
      sm_m[warp * MMA_ROWS + gid] = m0;
      sm_l[warp * MMA_ROWS + gid] = l0;
      sm_m[warp * MMA_ROWS + gid + 8] = m1;
      sm_l[warp * MMA_ROWS + gid + 8] = l1;
    }
  }
  __syncthreads();
  store_merged<true>(sm_acc, sm_m, sm_l, MMA_ROWS, DP, G, D, nq, splits, part_acc, part_ml, out, out_stride, sinks);
}
}  // namespace

// Merges the splits of decode_attention (those that held keys): grid (T, nq), block 128. The
// same as attention_combine, with the splits cut per token as token_partition does.
extern "C" __global__ void decode_attention_combine(const float* __restrict__ part_acc,
                                                   const float* __restrict__ part_ml,
                                                   const int* __restrict__ positions, int nq, int D,
                                                   int window, int partition, int splits,
                                                   bf16* __restrict__ out, int out_stride,
                                                   const float* __restrict__ sinks) {
  PDL_ENTER();
  const int t = blockIdx.x, h = blockIdx.y;
  const int ctx = positions[t] + 1;
  const int lo = first_key(ctx - 1, window);
  const int part_t = token_partition(ctx - lo, partition, splits);
  const int n = min(splits, (ctx - lo + part_t - 1) / part_t);
  const size_t p0 = ((size_t)t * nq + h) * splits;
  // the splits' maxima and sums read in parallel, one split a thread, rather than one after another
  __shared__ float scratch[33];
  __shared__ float weight[COMBINE_STAGED];  // exp(m_s - M) of the first splits
  float mx = -INFINITY;
  for (int s = threadIdx.x; s < n; s += blockDim.x) mx = fmaxf(mx, part_ml[2 * (p0 + s)]);
  const float M = block_max(mx, scratch);
  float l = 0.f;
  for (int s = threadIdx.x; s < n; s += blockDim.x) {
    const float w = __expf(part_ml[2 * (p0 + s)] - M);
    if (s < COMBINE_STAGED) weight[s] = w;
    l += part_ml[2 * (p0 + s) + 1] * w;
  }
  const float L = block_sum(l, scratch) + sink_weight(sinks, h, M, false);  // barriers publish weight[]
  for (int d = threadIdx.x; d < D; d += blockDim.x) {
    float A = 0.f;
#pragma unroll 8
    for (int s = 0; s < n; s++) {
      const float w = s < COMBINE_STAGED ? weight[s] : __expf(part_ml[2 * (p0 + s)] - M);
      A += part_acc[(p0 + s) * D + d] * w;
    }
    out[(size_t)t * out_stride + h * D + d] = to_bf(A / L);
  }
}

// Grid (tokens, kv heads, splits), THREADS threads, STAGES * 2 * TK * DP * 2 bytes of dynamic
// shared memory; parameters as paged_attention's (attention.cu), then fresh_keys: how many of
// each token's newest keys the kernel before may have written (1 in a decode step; at least the
// context to wait before any key).
#define DECODE_ENTRY(DP, GROUP)                                                                  \
  extern "C" __global__ void __launch_bounds__(THREADS) decode_attention_d##DP##_g##GROUP(      \
      const bf16* q, int q_stride, const bf16* k_cache, const bf16* v_cache,                     \
      const int* block_tables, int bt_stride, const int* token_seq, const int* positions,        \
      int block_size, int nq, int nkv, int D, float scale, int window, int partition,            \
      int splits, float* part_acc, float* part_ml, bf16* out, int out_stride, int fresh_keys,    \
      float softcap, const float* sinks, const float* alibi) {                                   \
    decode_impl<DP, GROUP>(q, q_stride, k_cache, v_cache, block_tables, bt_stride, token_seq,    \
                           positions, block_size, nq, nkv, D, scale, window, partition, splits,  \
                           part_acc, part_ml, out, out_stride, fresh_keys, softcap, sinks, alibi);                      \
  }

#define DECODE_GROUPS(DP) \
  DECODE_ENTRY(DP, 1)     \
  DECODE_ENTRY(DP, 2)     \
  DECODE_ENTRY(DP, 4)     \
  DECODE_ENTRY(DP, 8)

DECODE_GROUPS(32)
DECODE_GROUPS(64)
DECODE_GROUPS(128)
DECODE_GROUPS(256)

// The tensor-core version for query groups of 3 to 16 heads (decode_mma_impl): the same
// parameters, grid and results; MMA_STAGES * 2 * MMA_TK * (DP + MMA_PAD) * 2 bytes of dynamic shared memory.
#define DECODE_MMA_ENTRY(DP, MS, NAME)                                                           \
  extern "C" __global__ void __launch_bounds__(THREADS) NAME(                                    \
      const bf16* q, int q_stride, const bf16* k_cache, const bf16* v_cache,                     \
      const int* block_tables, int bt_stride, const int* token_seq, const int* positions,        \
      int block_size, int nq, int nkv, int D, float scale, int window, int partition,            \
      int splits, float* part_acc, float* part_ml, bf16* out, int out_stride, int fresh_keys,    \
      float softcap, const float* sinks, const float* alibi) {                                   \
    decode_mma_impl<DP, MS>(q, q_stride, k_cache, v_cache, block_tables, bt_stride, token_seq,       \
                        positions, block_size, nq, nkv, D, scale, window, partition, splits,     \
                        part_acc, part_ml, out, out_stride, fresh_keys, softcap, sinks, alibi);                         \
  }
DECODE_MMA_ENTRY(32, MMA_STAGES, decode_attention_mma_d32)
DECODE_MMA_ENTRY(64, MMA_STAGES, decode_attention_mma_d64)
DECODE_MMA_ENTRY(128, MMA_STAGES, decode_attention_mma_d128)
