// Flash attention for the prefill part of a step, on tensor cores (mma.sync m16n8k16, bf16 in, f32
// accumulate; sm_80+). One block takes one query tile (up to 64 consecutive tokens of one
// sequence's chunk, see PrefillTiles.java) for one query head; its 4 warps own 16 query rows each.
// Keys and values of the sequence stream through shared memory 64 at a time over the paged cache
// (block tables), double-buffered with cp.async; scores and the output stay in registers with an
// online softmax (base-2 exponent, the scale folded in). Each row sees keys lo..position, where
// lo = position + 1 - window with a sliding window, else 0: a chunk continuing a cached prefix sees
// all earlier keys. Decode tokens stay with paged_attention (attention.cu).
//
// Head dims: D a multiple of 8 up to 128, run by the entry of the next class DP in {16, 32, 64,
// 128}; dims D..DP-1 are zero in shared memory and registers. Other shapes use paged_attention.
//
// Fragment layouts of mma.m16n8k16 (PTX ISA), with gid = lane / 4 and tig = lane % 4:
//   A (16x16, row-major), 4 regs of 2 bf16: {row gid, k 2tig..+1}, {row gid+8, k 2tig..+1},
//     {row gid, k 2tig+8..+9}, {row gid+8, k 2tig+8..+9}
//   B (16x8, k x n), 2 regs: {k 2tig..+1, n gid}, {k 2tig+8..+9, n gid}
//   C (16x8 f32): {row gid, n 2tig, 2tig+1}, {row gid+8, n 2tig, 2tig+1}
// The lower index of each pair sits in the low 16 bits.
#include "common.cuh"
#include "async_copy.cuh"

namespace {
constexpr int BQ = 64;      // query rows per block
constexpr int BK = 64;      // keys per shared-memory tile
constexpr int THREADS = 128;
constexpr int PAD = 8;      // bf16 per row of padding: rows start 4 banks apart, no bank conflicts
constexpr float LOG2E = 1.4426950408889634f;
static_assert(BQ == THREADS / 32 * 16, "each warp owns 16 query rows");

__device__ __forceinline__ void mma_bf16(float* c, const uint32_t* a, uint32_t b0, uint32_t b1) {
  asm volatile(
      "mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, "
      "{%0,%1,%2,%3};\n"
      : "+f"(c[0]), "+f"(c[1]), "+f"(c[2]), "+f"(c[3])
      : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b0), "r"(b1));
}

__device__ __forceinline__ float exp2_approx(float x) {  // 2^x; 2^-inf = 0
  float y;
  asm("ex2.approx.ftz.f32 %0, %1;" : "=f"(y) : "f"(x));
  return y;
}

__device__ __forceinline__ uint32_t pack_bf16(float lo, float hi) {
  const __nv_bfloat162 v = __floats2bfloat162_rn(lo, hi);
  return *reinterpret_cast<const uint32_t*>(&v);
}

template <int DP>
__device__ __forceinline__ void flash_impl(
    const bf16* __restrict__ q, int q_stride, const bf16* __restrict__ k_cache,
    const bf16* __restrict__ v_cache, const int* __restrict__ block_tables, int bt_stride,
    const int* __restrict__ tiles, const int* __restrict__ positions, int block_size, int nq,
    int nkv, int D, float scale, int window, bf16* __restrict__ out, int out_stride) {
  constexpr int STRIDE = DP + PAD;
  constexpr int KSTEPS = DP / 16;  // k-steps of Q·Kᵀ over the head dim
  constexpr int DTILES = DP / 8;   // n-tiles of P·V over the head dim
  constexpr int NTILES = BK / 8;   // n-tiles of Q·Kᵀ over the keys
  extern __shared__ __align__(16) unsigned char smem_raw[];
  bf16* smem = reinterpret_cast<bf16*>(smem_raw);  // [stage][K, V][BK][STRIDE]

  const int4 tile = reinterpret_cast<const int4*>(tiles)[blockIdx.x];
  const int t0 = tile.x, count = tile.y;
  const int h = blockIdx.y, g = h / (nq / nkv);
  const int warp = threadIdx.x >> 5, lane = threadIdx.x & 31, gid = lane >> 2, tig = lane & 3;
  const int* bt = block_tables + (size_t)tile.z * bt_stride;
  const int kend = positions[t0 + count - 1] + 1;  // the last row's position bounds every key
  const int klo = window > 0 ? max(0, positions[t0] + 1 - window) : 0;

  // This thread's two rows (gid and gid + 8 of the warp's 16); rows past count see no key.
  const int r0 = warp * 16 + gid, r1 = r0 + 8;
  const bool live0 = r0 < count, live1 = r1 < count;
  const int p0 = live0 ? positions[t0 + r0] : -1, p1 = live1 ? positions[t0 + r1] : -1;
  const int lo0 = window > 0 ? p0 + 1 - window : 0, lo1 = window > 0 ? p1 + 1 - window : 0;
  const bool warpLive = warp * 16 < count;
  const int wFirst = warpLive ? positions[t0 + warp * 16] : 0;
  const int wLast = warpLive ? positions[t0 + min(count - 1, warp * 16 + 15)] : -1;

  // Q as A fragments for the whole head dim, read once from global memory.
  uint32_t qf[KSTEPS][4];
  {
    const bf16* q0 = q + (size_t)(t0 + r0) * q_stride + (size_t)h * D;
    const bf16* q1 = q + (size_t)(t0 + r1) * q_stride + (size_t)h * D;
#pragma unroll
    for (int ks = 0; ks < KSTEPS; ks++) {
      const int c = ks * 16 + tig * 2;  // D % 8 == 0: a pair is all inside or all outside D
      qf[ks][0] = live0 && c < D ? *reinterpret_cast<const uint32_t*>(q0 + c) : 0u;
      qf[ks][1] = live1 && c < D ? *reinterpret_cast<const uint32_t*>(q1 + c) : 0u;
      qf[ks][2] = live0 && c + 8 < D ? *reinterpret_cast<const uint32_t*>(q0 + c + 8) : 0u;
      qf[ks][3] = live1 && c + 8 < D ? *reinterpret_cast<const uint32_t*>(q1 + c + 8) : 0u;
    }
  }

  float o[DTILES][4];
#pragma unroll
  for (int dt = 0; dt < DTILES; dt++) o[dt][0] = o[dt][1] = o[dt][2] = o[dt][3] = 0.f;
  float m0 = -INFINITY, m1 = -INFINITY, l0 = 0.f, l1 = 0.f;  // l: this thread's part of the row sum
  const float sl2 = scale * LOG2E;

  const int ntiles = (kend - klo + BK - 1) / BK;
  cp_async_kv_tile<BK, DP, STRIDE, THREADS>(smem, smem + BK * STRIDE, k_cache, v_cache, bt, block_size, nkv, g, D, klo, kend);
  cp_async_commit();
  for (int it = 0; it < ntiles; it++) {
    const int j0 = klo + it * BK;
    if (it + 1 < ntiles) {  // the next tile streams in while this one is used
      bf16* nk = smem + ((it + 1) & 1) * 2 * BK * STRIDE;
      cp_async_kv_tile<BK, DP, STRIDE, THREADS>(nk, nk + BK * STRIDE, k_cache, v_cache, bt, block_size, nkv, g, D, j0 + BK, kend);
      cp_async_commit();
      cp_async_wait<1>();
    } else {
      cp_async_wait<0>();
    }
    __syncthreads();
    const bf16* sk = smem + (it & 1) * 2 * BK * STRIDE;
    const unsigned short* sv = reinterpret_cast<const unsigned short*>(sk + BK * STRIDE);
    // warp-uniform: none of the warp's rows sees a key of this tile (causal diagonal, window)
    const bool skip = !warpLive || j0 > wLast || (window > 0 && j0 + BK - 1 < wFirst + 1 - window);
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
      float mx0 = -INFINITY, mx1 = -INFINITY;
#pragma unroll
      for (int nt = 0; nt < NTILES; nt++) {
#pragma unroll
        for (int e = 0; e < 2; e++) {
          const int j = j0 + nt * 8 + tig * 2 + e;
          s[nt][e] = j <= p0 && j >= lo0 ? s[nt][e] * sl2 : -INFINITY;
          s[nt][2 + e] = j <= p1 && j >= lo1 ? s[nt][2 + e] * sl2 : -INFINITY;
          mx0 = fmaxf(mx0, s[nt][e]);
          mx1 = fmaxf(mx1, s[nt][2 + e]);
        }
      }
      // the 4 threads of a quad hold one row between them
      mx0 = fmaxf(mx0, __shfl_xor_sync(0xffffffffu, mx0, 1));
      mx0 = fmaxf(mx0, __shfl_xor_sync(0xffffffffu, mx0, 2));
      mx1 = fmaxf(mx1, __shfl_xor_sync(0xffffffffu, mx1, 1));
      mx1 = fmaxf(mx1, __shfl_xor_sync(0xffffffffu, mx1, 2));
      const float n0 = fmaxf(m0, mx0), n1 = fmaxf(m1, mx1);
      // a row with no key yet keeps max -inf: subtract 0 instead, so that exp2 gives 0, not NaN
      const float b0 = n0 == -INFINITY ? 0.f : n0, b1 = n1 == -INFINITY ? 0.f : n1;
      const float c0 = exp2_approx(m0 - b0), c1 = exp2_approx(m1 - b1);
      m0 = n0;
      m1 = n1;
      l0 *= c0;
      l1 *= c1;
#pragma unroll
      for (int dt = 0; dt < DTILES; dt++) {
        o[dt][0] *= c0;
        o[dt][1] *= c0;
        o[dt][2] *= c1;
        o[dt][3] *= c1;
      }
#pragma unroll
      for (int nt = 0; nt < NTILES; nt++) {
        s[nt][0] = exp2_approx(s[nt][0] - b0);
        s[nt][1] = exp2_approx(s[nt][1] - b0);
        s[nt][2] = exp2_approx(s[nt][2] - b1);
        s[nt][3] = exp2_approx(s[nt][3] - b1);
        l0 += s[nt][0] + s[nt][1];
        l1 += s[nt][2] + s[nt][3];
      }
      // P·V: the C fragments of two key n-tiles are the A fragment of one 16-key k-step
#pragma unroll
      for (int kk = 0; kk < BK / 16; kk++) {
        uint32_t a[4];
        a[0] = pack_bf16(s[2 * kk][0], s[2 * kk][1]);
        a[1] = pack_bf16(s[2 * kk][2], s[2 * kk][3]);
        a[2] = pack_bf16(s[2 * kk + 1][0], s[2 * kk + 1][1]);
        a[3] = pack_bf16(s[2 * kk + 1][2], s[2 * kk + 1][3]);
        const unsigned short* vk = sv + (kk * 16 + tig * 2) * STRIDE + gid;
#pragma unroll
        for (int dt = 0; dt < DTILES; dt++) {
          const unsigned short* vr = vk + dt * 8;
          const uint32_t v0 = (uint32_t)vr[0] | ((uint32_t)vr[STRIDE] << 16);
          const uint32_t v1 = (uint32_t)vr[8 * STRIDE] | ((uint32_t)vr[9 * STRIDE] << 16);
          mma_bf16(o[dt], a, v0, v1);
        }
      }
    }
    __syncthreads();  // this stage is refilled by the next iteration's load
  }

  l0 += __shfl_xor_sync(0xffffffffu, l0, 1);
  l0 += __shfl_xor_sync(0xffffffffu, l0, 2);
  l1 += __shfl_xor_sync(0xffffffffu, l1, 1);
  l1 += __shfl_xor_sync(0xffffffffu, l1, 2);
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

// Grid (tiles, nq), THREADS threads, 2 * 2 * BK * (DP + PAD) * 2 bytes of dynamic shared memory.
// tiles: 4 ints per query tile {first token, tokens (1..BQ), block-table row, unused}.
#define FLASH_ENTRY(DP)                                                                          \
  extern "C" __global__ void __launch_bounds__(THREADS) flash_prefill_d##DP(                     \
      const bf16* q, int q_stride, const bf16* k_cache, const bf16* v_cache,                     \
      const int* block_tables, int bt_stride, const int* tiles, const int* positions,            \
      int block_size, int nq, int nkv, int D, float scale, int window, bf16* out,                \
      int out_stride) {                                                                          \
    PDL_ENTER();                                                                                 \
    flash_impl<DP>(q, q_stride, k_cache, v_cache, block_tables, bt_stride, tiles, positions,     \
                   block_size, nq, nkv, D, scale, window, out, out_stride);                      \
  }

FLASH_ENTRY(16)
FLASH_ENTRY(32)
FLASH_ENTRY(64)
FLASH_ENTRY(128)
