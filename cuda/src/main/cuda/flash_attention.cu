// Flash attention for the prefill part of a step, on tensor cores (mma.sync m16n8k16, bf16 in, f32
// accumulate; sm_80+). One block takes one query tile (up to 64 consecutive tokens of one
// sequence's chunk, see PrefillTiles.java) for HB query heads of one kv head; 4 warps a head own 16
// query rows each. The HB heads share each key and value tile: with one head a block, a group's
// heads loaded the same tiles separately (the flash_prefill_d*_h1 entries still do).
// Keys and values of the sequence stream through shared memory 64 at a time over the paged cache
// (block tables), double-buffered with cp.async; scores and the output stay in registers with an
// online softmax (base-2 exponent, the scale folded in). Each row sees keys lo..position, where
// lo = position + 1 - window with a sliding window, the start of the row's chunk with Llama 4's
// chunked attention (window < 0), else 0: a chunk continuing a cached prefix sees all earlier keys. Decode tokens stay with paged_attention (attention.cu).
//
// Head dims: D a multiple of 8 up to 128, run by the entry of the next class DP in {16, 32, 64,
// 128}; dims D..DP-1 are zero in shared memory and registers. Other shapes use paged_attention.
// (Fragment layouts: mma.cuh.)
#include "common.cuh"
#include "async_copy.cuh"
#include "mma.cuh"

namespace {
constexpr int BQ = 64;      // query rows per block
constexpr int BK = 64;      // keys per shared-memory tile
constexpr int THREADS = 128;  // a head's warps; a block has THREADS * HB
constexpr int PAD = 8;      // bf16 per row of padding: rows start 4 banks apart, no bank conflicts
constexpr float LOG2E = 1.4426950408889634f;
static_assert(BQ == THREADS / 32 * 16, "each warp owns 16 query rows");

template <int DP, int HB>
__device__ __forceinline__ void flash_impl(
    const bf16* __restrict__ q, int q_stride, const bf16* __restrict__ k_cache,
    const bf16* __restrict__ v_cache, const int* __restrict__ block_tables, int bt_stride,
    const int* __restrict__ tiles, const int* __restrict__ positions, int block_size, int nq,
    int nkv, int D, float scale, int window, bf16* __restrict__ out, int out_stride, float softcap,
    const float* __restrict__ sinks, const float* __restrict__ alibi) {
  constexpr int STRIDE = DP + PAD;
  constexpr int KSTEPS = DP / 16;  // k-steps of Q·Kᵀ over the head dim
  constexpr int DTILES = DP / 8;   // n-tiles of P·V over the head dim
  constexpr int NTILES = BK / 8;   // n-tiles of Q·Kᵀ over the keys
  extern __shared__ __align__(16) unsigned char smem_raw[];
  bf16* smem = reinterpret_cast<bf16*>(smem_raw);  // [stage][K, V][BK][STRIDE]

  const int4 tile = reinterpret_cast<const int4*>(tiles)[blockIdx.x];
  const int t0 = tile.x, count = tile.y;
  const int lane = threadIdx.x & 31, gid = lane >> 2, tig = lane & 3;
  const int warp = (threadIdx.x >> 5) & 3;  // the warp's 16 rows of the tile
  const int h = blockIdx.y * HB + (threadIdx.x >> 7), g = h / (nq / nkv);
  const int* bt = block_tables + (size_t)tile.z * bt_stride;
  const int kend = positions[t0 + count - 1] + 1;  // the last row's position bounds every key
  const int klo = first_key(positions[t0], window);

  // This thread's two rows (gid and gid + 8 of the warp's 16); rows past count see no key.
  const int r0 = warp * 16 + gid, r1 = r0 + 8;
  const bool live0 = r0 < count, live1 = r1 < count;
  const int p0 = live0 ? positions[t0 + r0] : -1, p1 = live1 ? positions[t0 + r1] : -1;
  const int lo0 = live0 ? first_key(p0, window) : 0, lo1 = live1 ? first_key(p1, window) : 0;
  const bool warpLive = warp * 16 < count;
  const int wFirst = warpLive ? positions[t0 + warp * 16] : 0;
  const int wLast = warpLive ? positions[t0 + min(count - 1, warp * 16 + 15)] : -1;

  // Q as A fragments for the whole head dim, read once from global memory.
  uint32_t qf[KSTEPS][4];
  {
    const bf16* q0 = q + (size_t)(t0 + r0) * q_stride + (size_t)h * D;
    const bf16* q1 = q + (size_t)(t0 + r1) * q_stride + (size_t)h * D;
    load_q_fragments<KSTEPS>(qf, q0, q1, live0, live1, tig, D);
  }

  float o[DTILES][4];
#pragma unroll
  for (int dt = 0; dt < DTILES; dt++) o[dt][0] = o[dt][1] = o[dt][2] = o[dt][3] = 0.f;
  float m0 = -INFINITY, m1 = -INFINITY, l0 = 0.f, l1 = 0.f;  // l: this thread's part of the row sum
  const float sl2 = scale * LOG2E;
  const float alibi_h = alibi ? alibi[h] * LOG2E : 0.f;  // this head's ALiBi slope, base 2

  const int ntiles = (kend - klo + BK - 1) / BK;
  cp_async_kv_tile<BK, DP, STRIDE, THREADS * HB>(smem, smem + BK * STRIDE, k_cache, v_cache, bt, block_size, nkv, g, D, klo, kend);
  cp_async_commit();
  for (int it = 0; it < ntiles; it++) {
    const int j0 = klo + it * BK;
    if (it + 1 < ntiles) {  // the next tile streams in while this one is used
      bf16* nk = smem + ((it + 1) & 1) * 2 * BK * STRIDE;
      cp_async_kv_tile<BK, DP, STRIDE, THREADS * HB>(nk, nk + BK * STRIDE, k_cache, v_cache, bt, block_size, nkv, g, D, j0 + BK, kend);
      cp_async_commit();
      cp_async_wait<1>();
    } else {
      cp_async_wait<0>();
    }
    __syncthreads();
    const bf16* sk = smem + (it & 1) * 2 * BK * STRIDE;
    const unsigned short* sv = reinterpret_cast<const unsigned short*>(sk + BK * STRIDE);
    // warp-uniform: none of the warp's rows sees a key of this tile (causal diagonal, window)
    const bool skip = !warpLive || j0 > wLast || (window != 0 && j0 + BK - 1 < first_key(wFirst, window));
    if (!skip) {
      float s[NTILES][4];
#pragma unroll
      for (int nt = 0; nt < NTILES; nt++) s[nt][0] = s[nt][1] = s[nt][2] = s[nt][3] = 0.f;
#pragma unroll
      for (int ks = 0; ks < KSTEPS; ks++) {
#pragma unroll
        for (int nt = 0; nt < NTILES; nt++) {
          const bf16* kr = sk + (nt * 8 + gid) * STRIDE + ks * 16 + tig * 2;
          mma_bf16(s[nt], qf[ks], *reinterpret_cast<const uint32_t*>(kr),
                   *reinterpret_cast<const uint32_t*>(kr + 8));
        }
      }
#pragma unroll
      for (int nt = 0; nt < NTILES; nt++) {
#pragma unroll
        for (int e = 0; e < 2; e++) {
          const int j = j0 + nt * 8 + tig * 2 + e;
          s[nt][e] = j <= p0 && j >= lo0 ? softcap_score(s[nt][e], scale, softcap) * sl2 + alibi_h * (float)(j - p0)
                                         : -INFINITY;
          s[nt][2 + e] = j <= p1 && j >= lo1 ? softcap_score(s[nt][2 + e], scale, softcap) * sl2 + alibi_h * (float)(j - p1)
                                             : -INFINITY;
        }
      }
      online_softmax_step<NTILES, DTILES>(s, o, m0, m1, l0, l1);
      // P·V: the C fragments of two key n-tiles are the A fragment of one 16-key k-step
#pragma unroll
      for (int kk = 0; kk < BK / 16; kk++) {
        const uint32_t a[4] = {pack_bf16(s[2 * kk][0], s[2 * kk][1]), pack_bf16(s[2 * kk][2], s[2 * kk][3]),
                               pack_bf16(s[2 * kk + 1][0], s[2 * kk + 1][1]),
                               pack_bf16(s[2 * kk + 1][2], s[2 * kk + 1][3])};
        pv_kstep<DTILES, STRIDE>(o, a, sv + (kk * 16 + tig * 2) * STRIDE + gid);
      }
    }
    __syncthreads();  // this stage is refilled by the next iteration's load
  }

  l0 += __shfl_xor_sync(0xffffffffu, l0, 1);
  l0 += __shfl_xor_sync(0xffffffffu, l0, 2);
  l1 += __shfl_xor_sync(0xffffffffu, l1, 1);
  l1 += __shfl_xor_sync(0xffffffffu, l1, 2);
  l0 += sink_weight(sinks, h, m0, true);
  l1 += sink_weight(sinks, h, m1, true);
  const float inv0 = l0 > 0.f ? 1.f / l0 : 0.f, inv1 = l1 > 0.f ? 1.f / l1 : 0.f;
  bf16* out0 = out + (size_t)(t0 + r0) * out_stride + (size_t)h * D;
  bf16* out1 = out + (size_t)(t0 + r1) * out_stride + (size_t)h * D;
#pragma unroll
  for (int dt = 0; dt < DTILES; dt++) {
    const int c = dt * 8 + tig * 2;
    if (c >= D) continue;
    if (live0) *reinterpret_cast<__nv_bfloat162*>(out0 + c) = __floats2bfloat162_rn(o[dt][0] * inv0, o[dt][1] * inv0);
    if (live1) *reinterpret_cast<__nv_bfloat162*>(out1 + c) = __floats2bfloat162_rn(o[dt][2] * inv1, o[dt][3] * inv1);
  }
}
}  // namespace

// Grid (tiles, nq / HB), THREADS * HB threads, 2 * 2 * BK * (DP + PAD) * 2 bytes of dynamic shared
// memory; HB divides the query heads a kv head. tiles: 4 ints per query tile {first token, tokens
// (1..BQ), block-table row, unused}. Entries exist where a tile's 16-byte pieces make whole rounds
// of the block's threads (cp_async_kv_tile), for 1 and 2 heads a block: 4 heads (512 threads,
// at most 128 registers a thread) spilled 256 bytes at head dim 128.
#define FLASH_ENTRY(DP, HB)                                                                      \
  extern "C" __global__ void __launch_bounds__(THREADS * HB) flash_prefill_d##DP##_h##HB(        \
      const bf16* q, int q_stride, const bf16* k_cache, const bf16* v_cache,                     \
      const int* block_tables, int bt_stride, const int* tiles, const int* positions,            \
      int block_size, int nq, int nkv, int D, float scale, int window, bf16* out,                \
      int out_stride, float softcap, const float* sinks, const float* alibi) {                   \
    PDL_ENTER();                                                                                 \
    flash_impl<DP, HB>(q, q_stride, k_cache, v_cache, block_tables, bt_stride, tiles, positions, \
                       block_size, nq, nkv, D, scale, window, out, out_stride, softcap, sinks,    \
                       alibi);                                                                   \
  }

FLASH_ENTRY(16, 1)
FLASH_ENTRY(32, 1)
FLASH_ENTRY(32, 2)
FLASH_ENTRY(64, 1)
FLASH_ENTRY(64, 2)
FLASH_ENTRY(128, 1)
FLASH_ENTRY(128, 2)
