// Decode-sized products y = x · Wᵀ for M <= 8 token rows, with the step's neighbours fused in:
// the RMSNorm before a projection (prologue) and the residual add or SiLU-and-mul after it
// (epilogue), so that a decoder layer at small batch is six launches instead of ten. bf16 weights
// [out, in] row-major, f32 accumulation.
//
// Memory-bound by design: every weight byte is read once per launch, 16 bytes per lane per load,
// P loads per lane in flight. A block of 8 warps computes 8 / KS output rows; KS warps share a row,
// each taking every KS-th 256-element group of its inputs, and their partial sums meet in shared
// memory. Weights do not depend on the previous kernel, so the first pass of a block's weights is
// loaded before pdl_wait(): under programmatic dependent launch that load overlaps the tail of the
// kernel before.
//
// Prologues (the inputs, staged as bf16 [M][in] in shared memory after pdl_wait):
//   COPY  x as given (bf16 [M, in]);
//   NORM  w_norm * residual / rms(residual) from the f32 residual stream, rounded to bf16 - the
//         same arithmetic as add_rmsnorm in norm.cu.
// Epilogues (lane m of the warp that finishes a row writes token m):
//   STORE     y[m, j] = bf16(acc);
//   RESIDUAL  residual[m, j] += bf16(acc)  (as add_rmsnorm adds a bf16 projection output);
//   SILU      rows j (gate) and out + j (up) of W: y[m, j] = bf16(silu(bf16(g)) * bf16(u)), as
//             silu_mul in elementwise.cu does after a bf16 gate_up product.
#include "common.cuh"

namespace {
constexpr int WARPS = 8;
constexpr int THREADS = WARPS * 32;
constexpr int P = 4;         // 16-byte weight loads per lane per row in flight
constexpr int GROUP = 256;   // inputs per group: 32 lanes x 8
enum Prologue { COPY = 0, NORM = 1 };
enum Epilogue { STORE = 0, RESIDUAL = 1, SILU = 2 };

// The pass'th P groups of this warp's slice of one weight row, zero past the row's end.
__device__ __forceinline__ void load_pass(uint4 (&r)[P], const bf16* row, int in, int slice, int ks,
                                          int pass, int lane, bool valid) {
#pragma unroll
  for (int u = 0; u < P; u++) {
    const int off = (slice + ks * (pass * P + u)) * GROUP + lane * 8;
    r[u] = valid && off < in ? __ldg(reinterpret_cast<const uint4*>(row + off)) : make_uint4(0, 0, 0, 0);
  }
}

template <int M, int PRO, int EPI>
__device__ __forceinline__ void gemv_impl(const bf16* __restrict__ w, int in, int out, int ks,
                                          const bf16* __restrict__ x,
                                          const float* __restrict__ norm_residual,
                                          const bf16* __restrict__ norm_w, float eps, int m_rows,
                                          bf16* __restrict__ y, float* __restrict__ residual) {
  constexpr int NR = EPI == SILU ? 2 : 1;  // weight rows per output
  extern __shared__ __align__(16) unsigned char smem_raw[];
  bf16* xs = reinterpret_cast<bf16*>(smem_raw);  // [M][in]
  __shared__ float red[WARPS][NR][M];
  __shared__ float scratch[33];

  const int warp = threadIdx.x >> 5, lane = threadIdx.x & 31;
  const int rows_per_block = WARPS / ks;
  const int j = blockIdx.x * rows_per_block + warp / ks;
  const int slice = warp % ks;
  const bool valid = j < out;
  const int groups = (in + GROUP - 1) / GROUP;

  uint4 wr[NR][P];
#pragma unroll
  for (int r = 0; r < NR; r++) {
    const bf16* row = w + (size_t)(r == 0 ? j : out + j) * in;
    load_pass(wr[r], row, in, slice, ks, 0, lane, valid);
  }

  pdl_wait();
  pdl_launch_dependents();

  if (PRO == NORM) {
    for (int m = 0; m < M; m++) {
      const float* h = norm_residual + (size_t)m * in;
      float ss = 0.f;
      if (m < m_rows) {
        for (int i = threadIdx.x; i < in; i += THREADS) ss += h[i] * h[i];
      }
      const float inv = rsqrtf(block_sum(ss, scratch) / in + eps);
      for (int i = threadIdx.x; i < in; i += THREADS) {
        xs[m * in + i] = m < m_rows ? to_bf(to_f(norm_w[i]) * (h[i] * inv)) : to_bf(0.f);
      }
    }
  } else {
    const int chunks = M * in / 8;  // in is a multiple of 8
    for (int c = threadIdx.x; c < chunks; c += THREADS) {
      const int m = c * 8 / in;
      reinterpret_cast<uint4*>(xs)[c] =
          m < m_rows ? *reinterpret_cast<const uint4*>(x + (size_t)c * 8) : make_uint4(0, 0, 0, 0);
    }
  }
  __syncthreads();

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
    if (slice + ks * (pass + 1) * P >= groups) break;
#pragma unroll
    for (int r = 0; r < NR; r++) {
      const bf16* row = w + (size_t)(r == 0 ? j : out + j) * in;
      load_pass(wr[r], row, in, slice, ks, pass + 1, lane, valid);
    }
  }

#pragma unroll
  for (int r = 0; r < NR; r++) {
#pragma unroll
    for (int m = 0; m < M; m++) acc[r][m] = warp_sum(acc[r][m]);
  }
  if (ks > 1) {
    if (lane == 0) {
#pragma unroll
      for (int r = 0; r < NR; r++) {
#pragma unroll
        for (int m = 0; m < M; m++) red[warp][r][m] = acc[r][m];
      }
    }
    __syncthreads();
    if (slice != 0) return;
#pragma unroll
    for (int r = 0; r < NR; r++) {
#pragma unroll
      for (int m = 0; m < M; m++) {
        float t = 0.f;
        for (int s = 0; s < ks; s++) t += red[warp + s][r][m];
        acc[r][m] = t;
      }
    }
  }
  if (!valid || lane >= m_rows) return;
  float a0 = 0.f, a1 = 0.f;  // lane m's own token, picked without indexing registers
#pragma unroll
  for (int m = 0; m < M; m++) {
    if (m == lane) {
      a0 = acc[0][m];
      a1 = acc[NR - 1][m];
    }
  }
  const size_t o = (size_t)lane * out + j;
  if (EPI == STORE) {
    y[o] = to_bf(a0);
  } else if (EPI == RESIDUAL) {
    residual[o] += round_bf(a0);
  } else {
    const float g = round_bf(a0), u = round_bf(a1);
    y[o] = to_bf(g / (1.f + __expf(-g)) * u);
  }
}
}  // namespace

// One entry per (M, prologue, epilogue) the runner uses: gemv_m{M}_{copy|norm}_{store|residual|silu}.
// grid ceil(out / (8 / ks)), block 256, dynamic shared memory M * in * 2 bytes.
#define GEMV_ENTRY(M, PRO, EPI, NAME)                                                                \
  extern "C" __global__ void __launch_bounds__(THREADS) gemv_m##M##_##NAME(                         \
      const bf16* w, int in, int out, int ks, const bf16* x, const float* norm_residual,             \
      const bf16* norm_w, float eps, int m_rows, bf16* y, float* residual) {                        \
    gemv_impl<M, PRO, EPI>(w, in, out, ks, x, norm_residual, norm_w, eps, m_rows, y, residual);     \
  }
#define GEMV_ENTRIES(M)                        \
  GEMV_ENTRY(M, COPY, STORE, copy_store)       \
  GEMV_ENTRY(M, NORM, STORE, norm_store)       \
  GEMV_ENTRY(M, COPY, RESIDUAL, copy_residual) \
  GEMV_ENTRY(M, NORM, SILU, norm_silu)

GEMV_ENTRIES(1)
GEMV_ENTRIES(2)
GEMV_ENTRIES(4)
GEMV_ENTRIES(8)
