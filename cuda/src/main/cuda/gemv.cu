// Decode-sized products y = x · Wᵀ for M <= 8 token rows, with the step's neighbours fused in:
// the RMSNorm before a projection (prologue) and the residual add or SiLU-and-mul after it
// (epilogue), so that a decoder layer at small batch is six launches instead of ten. bf16 weights
// [out, in] row-major, f32 accumulation.
//
// Memory-bound by design: every weight byte is read once per launch, 16 bytes per lane per load,
// P loads per lane in flight. A block of 8 warps computes 8 / KS output rows; KS warps share a row,
// each taking every KS-th 256-element group of its inputs, and their partial sums meet in shared
// memory. A launch has at most a few blocks per multiprocessor, each looping over groups of rows,
// so the prologue is paid a few times per multiprocessor, not once per row group. Weights do not
// depend on the previous kernel, so the first pass of a block's weights is
// loaded before pdl_wait(): under programmatic dependent launch that load overlaps the tail of the
// kernel before.
//
// Prologues (the inputs, staged as bf16 [M][in] in shared memory after pdl_wait):
//   COPY  x as given (bf16 [M, in]);
//   NORM  w_norm * residual / rms(residual) from the f32 residual stream, rounded to bf16 - the
//         same arithmetic as add_rmsnorm in norm.cu (summed in another order).
// Epilogues (lane m of the warp that finishes a row writes token m):
//   STORE     y[m, j] = bf16(acc);
//   QKV       STORE, then the work of qkv_prepare.cu for each head whose rows are all done: the
//             block that finishes a head's last rows (an atomic count per head) applies bias,
//             q/k norm and RoPE to that head of every token and writes it (k, v) into the cache;
//   RESIDUAL  residual[m, j] += bf16(acc)  (as add_rmsnorm adds a bf16 projection output);
//   SILU      rows j (gate) and out + j (up) of W: y[m, j] = bf16(silu(bf16(g)) * bf16(u)), as
//             silu_mul in elementwise.cu does after a bf16 gate_up product;
//   LOGITS    y as f32 [M, out]: y[m, j] = acc (the LM head after the final norm, as cuBLAS
//             writes f32 logits after add_rmsnorm).
#include "qkv_head.cuh"

namespace {
constexpr int WARPS = 8;
constexpr int THREADS = WARPS * 32;
constexpr int P = 4;         // 16-byte weight loads per lane per row in flight
constexpr int GROUP = 256;   // inputs per group: 32 lanes x 8
enum Prologue { COPY = 0, NORM = 1 };
enum Epilogue { STORE = 0, RESIDUAL = 1, SILU = 2, QKV = 3, LOGITS = 4 };

// The pass'th P groups of this warp's slice of one weight row, zero past the row's end.
__device__ __forceinline__ void load_pass(uint4 (&r)[P], const bf16* row, int in, int slice, int ks,
                                          int pass, int lane, bool valid) {
#pragma unroll
  for (int u = 0; u < P; u++) {
    const int off = (slice + ks * (pass * P + u)) * GROUP + lane * 8;
    r[u] = valid && off < in ? __ldg(reinterpret_cast<const uint4*>(row + off)) : make_uint4(0, 0, 0, 0);
  }
}

// What the QKV epilogue needs beyond the product (see qkv_prepare.cu); counts: one int per head,
// zero between launches (the last block of a head sets it back).
struct QkvArgs {
  const bf16* bias;
  const bf16* q_norm;
  const bf16* k_norm;
  const int* positions;
  const float* inv_freq;
  const int* slots;
  bf16* k_cache;
  bf16* v_cache;
  int* counts;
  int nq, nkv, D;
};

template <int M, int PRO, int EPI>
__device__ __forceinline__ void gemv_impl(const bf16* __restrict__ w, int in, int out, int ks,
                                          const bf16* __restrict__ x,
                                          const float* __restrict__ norm_residual,
                                          const bf16* __restrict__ norm_w, float eps, int m_rows,
                                          bf16* __restrict__ y, float* __restrict__ residual,
                                          const QkvArgs& qa) {
  constexpr int NR = EPI == SILU ? 2 : 1;  // weight rows per output
  extern __shared__ __align__(16) unsigned char smem_raw[];
  bf16* xs = reinterpret_cast<bf16*>(smem_raw);  // [M][in]
  __shared__ float red[WARPS][NR][M];
  __shared__ float head_buf[EPI == QKV ? WARPS : 1][EPI == QKV ? 256 : 1];
  __shared__ int last_head;

  const int warp = threadIdx.x >> 5, lane = threadIdx.x & 31;
  const int rows_per_block = WARPS / ks;
  const int slice = warp % ks;
  const int groups = (in + GROUP - 1) / GROUP;
  const int row_groups = (out + rows_per_block - 1) / rows_per_block;

  uint4 wr[NR][P];
  int rg = blockIdx.x;
  {
    const int j = rg * rows_per_block + warp / ks;
#pragma unroll
    for (int r = 0; r < NR; r++) {
      load_pass(wr[r], w + (size_t)(r == 0 ? j : out + j) * in, in, slice, ks, 0, lane, j < out);
    }
  }

  pdl_wait();
  pdl_launch_dependents();

  if (PRO == NORM) {
    // every token's sum of squares in one sweep (M loads in flight per element), then one
    // reduction of all M sums; the second sweep finds h in L1
    float ss[M];
#pragma unroll
    for (int m = 0; m < M; m++) ss[m] = 0.f;
#pragma unroll 4  // the loads of several iterations in flight at once
    for (int i = threadIdx.x; i < in; i += THREADS) {
#pragma unroll
      for (int m = 0; m < M; m++) {
        if (m < m_rows) {
          const float v = norm_residual[(size_t)m * in + i];
          ss[m] = fmaf(v, v, ss[m]);
        }
      }
    }
#pragma unroll
    for (int m = 0; m < M; m++) {
      ss[m] = warp_sum(ss[m]);
      if (lane == 0) red[warp][0][m] = ss[m];
    }
    __syncthreads();
    float inv[M];
#pragma unroll
    for (int m = 0; m < M; m++) {
      float t = 0.f;
#pragma unroll
      for (int w2 = 0; w2 < WARPS; w2++) t += red[w2][0][m];
      inv[m] = rsqrtf(t / in + eps);
    }
#pragma unroll 4  // the loads of several iterations in flight at once
    for (int i = threadIdx.x; i < in; i += THREADS) {
      const float nw = to_f(norm_w[i]);
#pragma unroll
      for (int m = 0; m < M; m++) {
        xs[m * in + i] = m < m_rows ? to_bf(nw * (norm_residual[(size_t)m * in + i] * inv[m])) : to_bf(0.f);
      }
    }
  } else {
    const int chunks = M * in / 8;  // in is a multiple of 8
#pragma unroll 4
    for (int c = threadIdx.x; c < chunks; c += THREADS) {
      const int m = c * 8 / in;
      reinterpret_cast<uint4*>(xs)[c] =
          m < m_rows ? *reinterpret_cast<const uint4*>(x + (size_t)c * 8) : make_uint4(0, 0, 0, 0);
    }
  }
  __syncthreads();

  for (; rg < row_groups; rg += gridDim.x) {
    const int j = rg * rows_per_block + warp / ks;
    const bool valid = j < out;
    const int next = rg + gridDim.x;
    float acc[NR][M];
#pragma unroll
    for (int r = 0; r < NR; r++) {
#pragma unroll
      for (int m = 0; m < M; m++) acc[r][m] = 0.f;
    }
    for (int pass = 0;; pass++) {
#pragma unroll
      for (int u = 0; u < P; u++) {
        const int off = (slice + ks * (pass * P + u)) * GROUP + lane * 8;
        if (off < in) {
          float wf[NR][8];
#pragma unroll
          for (int r = 0; r < NR; r++) unpack8(wr[r][u], wf[r]);
#pragma unroll
          for (int m = 0; m < M; m++) {
            float xf[8];
            unpack8(*reinterpret_cast<const uint4*>(xs + m * in + off), xf);
#pragma unroll
            for (int r = 0; r < NR; r++) {
#pragma unroll
              for (int i = 0; i < 8; i++) acc[r][m] = fmaf(wf[r][i], xf[i], acc[r][m]);
            }
          }
        }
      }
      const bool more = slice + ks * (pass + 1) * P < groups;
      // the next loads: this row group's next pass, or the first pass of the next row group
      const int lj = more ? j : next * rows_per_block + warp / ks;
#pragma unroll
      for (int r = 0; r < NR; r++) {
        load_pass(wr[r], w + (size_t)(r == 0 ? lj : out + lj) * in, in, slice, ks, more ? pass + 1 : 0, lane,
                  more ? valid : next < row_groups && lj < out);
      }
      if (!more) break;
    }

#pragma unroll
    for (int r = 0; r < NR; r++) {
#pragma unroll
      for (int m = 0; m < M; m++) acc[r][m] = warp_sum(acc[r][m]);
    }
    if (ks > 1) {
      __syncthreads();  // red is free (the prologue's sums, or the last row group's)
      if (lane == 0) {
#pragma unroll
        for (int r = 0; r < NR; r++) {
#pragma unroll
          for (int m = 0; m < M; m++) red[warp][r][m] = acc[r][m];
        }
      }
      __syncthreads();
#pragma unroll
      for (int r = 0; r < NR; r++) {
#pragma unroll
        for (int m = 0; m < M; m++) {
          float t = 0.f;
          for (int s = 0; s < ks; s++) t += red[warp - slice + s][r][m];
          acc[r][m] = t;
        }
      }
    }
    if (slice == 0 && valid && lane < m_rows) {
      float a0 = 0.f, a1 = 0.f;  // lane m's own token, picked without indexing registers
#pragma unroll
      for (int m = 0; m < M; m++) {
        if (m == lane) {
          a0 = acc[0][m];
          a1 = acc[NR - 1][m];
        }
      }
      const size_t o = (size_t)lane * out + j;
      if (EPI == STORE || EPI == QKV) {
        y[o] = to_bf(a0);
      } else if (EPI == RESIDUAL) {
        residual[o] += round_bf(a0);
      } else if (EPI == LOGITS) {
        reinterpret_cast<float*>(y)[o] = a0;
      } else {
        const float g = round_bf(a0), u = round_bf(a1);
        y[o] = to_bf(g / (1.f + __expf(-g)) * u);
      }
    }
    if (EPI == QKV) {
      // rows_per_block divides D, so this row group lies in one head; the block that completes a
      // head does its per-head work (a v head: its store into the cache)
      const int head = rg * rows_per_block / qa.D;
      __threadfence();  // this block's rows are visible before it counts
      __syncthreads();
      if (threadIdx.x == 0) {
        const int done = atomicAdd(qa.counts + head, 1) + 1;
        const bool last = done == qa.D / rows_per_block;
        if (last) qa.counts[head] = 0;  // every block of this head has counted: ready for the next launch
        last_head = last ? head : -1;
      }
      __syncthreads();
      if (last_head >= 0 && warp < m_rows) {
        __threadfence();
        bf16* row = y + (size_t)warp * out;
        if (last_head < qa.nq + qa.nkv) {
          prepare_head<true>(row, qa.bias, qa.q_norm, qa.k_norm, eps, RopeFromFreq{qa.inv_freq, (float)qa.positions[warp]},
                             qa.slots[warp], qa.k_cache, qa.v_cache, qa.nq, qa.nkv, qa.D, last_head, false,
                             head_buf[warp], lane);
        } else {
          store_v_head<true>(row, qa.bias, qa.slots[warp], qa.v_cache, qa.nq, qa.nkv, qa.D,
                             last_head - qa.nq - qa.nkv, lane);
        }
      }
    }
  }
}
}  // namespace

// One entry per (M, prologue, epilogue) the runner uses:
// gemv_m{M}_{copy|norm}_{store|residual|silu|qkv|logits}; grid at most ceil(out / (8 / ks)) (blocks loop
// over the row groups), block 256, dynamic shared memory M * in * 2 bytes. The QKV arguments
// (from bias on) are read by the qkv entries only.
#define GEMV_ENTRY(M, PRO, EPI, NAME)                                                                \
  extern "C" __global__ void __launch_bounds__(THREADS) gemv_m##M##_##NAME(                         \
      const bf16* w, int in, int out, int ks, const bf16* x, const float* norm_residual,             \
      const bf16* norm_w, float eps, int m_rows, bf16* y, float* residual, const bf16* bias,        \
      const bf16* q_norm, const bf16* k_norm, const int* positions, const float* inv_freq,          \
      const int* slots, bf16* k_cache, bf16* v_cache, int* counts, int nq, int nkv, int D) {        \
    const QkvArgs qa{bias, q_norm, k_norm, positions, inv_freq, slots, k_cache, v_cache, counts, nq, nkv, D}; \
    gemv_impl<M, PRO, EPI>(w, in, out, ks, x, norm_residual, norm_w, eps, m_rows, y, residual, qa); \
  }
#define GEMV_ENTRIES(M)                        \
  GEMV_ENTRY(M, COPY, STORE, copy_store)       \
  GEMV_ENTRY(M, NORM, STORE, norm_store)       \
  GEMV_ENTRY(M, COPY, RESIDUAL, copy_residual) \
  GEMV_ENTRY(M, NORM, SILU, norm_silu)         \
  GEMV_ENTRY(M, COPY, QKV, copy_qkv)           \
  GEMV_ENTRY(M, NORM, QKV, norm_qkv)           \
  GEMV_ENTRY(M, NORM, LOGITS, norm_logits)

GEMV_ENTRIES(1)
GEMV_ENTRIES(2)
GEMV_ENTRIES(4)
GEMV_ENTRIES(8)
