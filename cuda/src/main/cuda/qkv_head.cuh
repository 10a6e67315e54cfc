// The per-head work after a QKV projection, shared by qkv_prepare.cu and the QKV epilogue of
// gemv.cu: bias, q/k RMSNorm (Qwen3), rotary embedding, q written back in place, k and v written
// into the paged cache. One warp per (token, head).
#pragma once
#include "common.cuh"

#define MAX_HEAD_DIM 512

// Loads of the projection row: plain, or from L2 (COHERENT) where other blocks of the same
// launch wrote the row and this multiprocessor's L1 may hold older lines of the buffer.
template <bool COHERENT, typename T>
__device__ __forceinline__ T load_row(const T* p) {
  if (COHERENT) return __ldcg(p);
  return *p;
}

// Stores value head kh of the row into the cache (with its bias).
template <bool COHERENT, typename T>
__device__ __forceinline__ void store_v_head(const T* __restrict__ row, const T* __restrict__ bias, int slot,
                                             T* __restrict__ v_cache, int nq, int nkv, int D, int kh, int lane) {
  if (slot < 0) return;
  const int vcol = (nq + nkv + kh) * D;
  T* vd = v_cache + ((size_t)slot * nkv + kh) * D;
  for (int i = lane; i < D; i += 32) {
    const T v = load_row<COHERENT>(row + vcol + i);
    vd[i] = bias ? from_f<T>(to_f(v) + to_f(bias[vcol + i])) : v;
  }
}

// The rotary angle of pair i at one position: computed from the frequencies, or read from a
// table of its cos and sin staged beforehand (the persistent decode kernel stages it while it
// waits for the projection rows, so the rows' preparation has no other loads to wait for).
// The frequencies come as a rotary table (RotaryTable on the host): a 16-byte header holding, as
// ints, the first position of the long table, the pair count and 1 for GPT-J's interleaved pairs
// (else 0), then the table for positions
// below it, then the long one (longrope; without it the first position is INT_MAX and the long
// table absent). A position always takes the same table, whatever batch it is computed in.
struct RopeFromFreq {
  const float* inv_freq;
  float pos;
  __device__ __forceinline__ RopeFromFreq(const float* table, float position) : pos(position) {
    const int long_from = __float_as_int(table[0]);
    inv_freq = table + 4 + (position >= (float)long_from ? __float_as_int(table[1]) : 0);
  }
  __device__ __forceinline__ void at(int i, float* s, float* c) const { sincosf(pos * inv_freq[i], s, c); }
  // rotated pairs: the whole head (the fused and persistent paths take full rotary models only)
  __device__ __forceinline__ int pairs(int D) const { return D / 2; }
  // the two dimensions of pair i: i and i + pairs
  __device__ __forceinline__ int first(int i) const { return i; }
  __device__ __forceinline__ int second(int i, int half) const { return i + half; }
};
// The same with the table's own pair count and layout (qkv_prepare): partial rotary models
// (GPT-NeoX, Phi) rotate dimension i with i + pairs for i < pairs, and leave the rest of the head
// as it is; GPT-J's interleaved layout rotates dimensions 2i and 2i + 1.
struct RopeFromFreqPartial : RopeFromFreq {
  int table_pairs;
  bool interleaved;
  __device__ __forceinline__ RopeFromFreqPartial(const float* table, float position)
      : RopeFromFreq(table, position), table_pairs(__float_as_int(table[1])), interleaved(__float_as_int(table[2]) != 0) {}
  __device__ __forceinline__ int pairs(int) const { return table_pairs; }
  __device__ __forceinline__ int first(int i) const { return interleaved ? 2 * i : i; }
  __device__ __forceinline__ int second(int i, int half) const { return interleaved ? 2 * i + 1 : i + half; }
};
struct RopeFromTable {
  const float* cos;
  const float* sin;
  __device__ __forceinline__ void at(int i, float* s, float* c) const {
    *s = sin[i];
    *c = cos[i];
  }
  __device__ __forceinline__ int pairs(int D) const { return D / 2; }
  __device__ __forceinline__ int first(int i) const { return i; }
  __device__ __forceinline__ int second(int i, int half) const { return i + half; }
};

// row: the token's [(nq + 2 nkv) * D] projection; h: a q head (< nq) or k head (< nq + nkv);
// with_v: a k head's warp also stores the matching v head (else the caller stores v heads);
// b: D floats of this warp's shared memory; slot: the token's cache slot, -1 for padding.
// WRITE_Q false leaves a q head's result in b instead of writing it back into the row.
// ROW_IN_B: the head's projection (without its bias) is already in b, and row is not read.
// norm_after_rope: the q/k norm applies to the rotated head (HunYuan) rather than before RoPE.
// q_scale: a factor on a q head's result (Llama 4's attention temperature; 1 otherwise).
template <bool COHERENT, typename T, bool WRITE_Q = true, typename Rope = RopeFromFreq, bool ROW_IN_B = false>
__device__ __forceinline__ void prepare_head(T* __restrict__ row, const T* __restrict__ bias,
                                             const T* __restrict__ q_norm,
                                             const T* __restrict__ k_norm, float eps, const Rope& rope, int slot,
                                             T* __restrict__ k_cache, T* __restrict__ v_cache,
                                             int nq, int nkv, int D, int h, bool with_v, float* b,
                                             int lane, bool norm_after_rope = false, float q_scale = 1.f) {
  const int col = h * D;
  const bool is_q = h < nq;
  float ss = 0.f;
  for (int i = lane; i < D; i += 32) {
    float v = ROW_IN_B ? b[i] : to_f(load_row<COHERENT>(row + col + i));
    if (bias) v += to_f(bias[col + i]);
    b[i] = v;
    ss += v * v;
  }
  const T* nw = is_q ? q_norm : k_norm;
  if (nw && !norm_after_rope) {
    const float inv = rsqrtf(warp_sum(ss) / D + eps);
    for (int i = lane; i < D; i += 32) b[i] = to_f(nw[i]) * (b[i] * inv);
  }
  __syncwarp();
  const int half = rope.pairs(D);
  for (int i = lane; i < half; i += 32) {
    float s, c;
    rope.at(i, &s, &c);
    const int i1 = rope.first(i), i2 = rope.second(i, half);
    const float x1 = b[i1], x2 = b[i2];
    b[i1] = x1 * c - x2 * s;
    b[i2] = x2 * c + x1 * s;
  }
  __syncwarp();
  if (nw && norm_after_rope) {
    float rotated = 0.f;
    for (int i = lane; i < D; i += 32) rotated += b[i] * b[i];
    const float inv = rsqrtf(warp_sum(rotated) / D + eps);
    for (int i = lane; i < D; i += 32) b[i] = to_f(nw[i]) * (b[i] * inv);
    __syncwarp();
  }
  if (is_q) {
    if (WRITE_Q) {
      for (int i = lane; i < D; i += 32) row[col + i] = from_f<T>(b[i] * q_scale);
    }
    return;
  }
  if (slot < 0) return;
  const int kh = h - nq;
  T* kd = k_cache + ((size_t)slot * nkv + kh) * D;
  for (int i = lane; i < D; i += 32) kd[i] = from_f<T>(b[i]);
  if (with_v) store_v_head<COHERENT>(row, bias, slot, v_cache, nq, nkv, D, kh, lane);
}
