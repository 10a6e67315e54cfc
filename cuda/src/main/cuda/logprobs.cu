// Logprobs of a sampled row on the device, as the engine's CPU path reports them (Logprobs.of):
// from the raw logits, log-sum-exp accumulated in double, the chosen token's logprob and 1-based
// rank (1 + tokens with a larger logit), and the k most likely tokens, largest first, ties in id
// order. Only these few words come back instead of the whole row.
//
// The top k: every thread keeps the k largest of its strided share in a sorted list (a new value
// enters only above the list's last, which after the first few hundred elements is rare); then k
// rounds of a block-wide argmax over the lists' heads, the winner's list moving on.
#include "common.cuh"

#define THREADS 256
#define NWARPS (THREADS / 32)
#define MAX_K 20
// out: per row OUT_WORDS words: the chosen token's logprob (float), its rank (int), MAX_K top ids
// (int), MAX_K top logprobs (float); entries past k are left as they were.
#define OUT_WORDS (2 + 2 * MAX_K)

// (value, id) ordered as the CPU's top list: larger value first, then lower id.
__device__ __forceinline__ bool before(float v, int i, float w, int j) { return v > w || (v == w && i < j); }

// params[stride * row + 16]: k (0..MAX_K), or -1: the row wants no logprobs (then nothing is
// read or written); params[stride * row + 17]: the chosen token (a prompt row's next prompt
// token), or -1: the sampled one, sampled[row]. grid rows, block THREADS.
extern "C" __global__ void __launch_bounds__(THREADS) row_logprobs(const float* __restrict__ logits, int vocab,
                                                                   const int* __restrict__ params, int stride,
                                                                   const int* __restrict__ sampled,
                                                                   int* __restrict__ out) {
  PDL_ENTER();
  const int k = params[(size_t)stride * blockIdx.x + 16];
  if (k < 0) return;
  __shared__ float sv[NWARPS];
  __shared__ int si[NWARPS];
  __shared__ double sd[NWARPS];
  __shared__ float s_max;
  __shared__ int s_winner;
  const float* row = logits + (size_t)blockIdx.x * vocab;
  const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;

  // 1. this thread's k largest, and the row's max
  float tv[MAX_K];
  int ti[MAX_K];
#pragma unroll
  for (int j = 0; j < MAX_K; j++) {
    tv[j] = -INFINITY;
    ti[j] = 0x7fffffff;
  }
  float mx = -INFINITY;
  float last_v = -INFINITY;  // the list's k-th entry (the bar a new value must pass)
  int last_i = 0x7fffffff;
  for (int i = threadIdx.x; i < vocab; i += THREADS) {
    const float v = row[i];
    mx = fmaxf(mx, v);
    if (k > 0 && before(v, i, last_v, last_i)) {
      // insert, keeping the list sorted (ids grow within a thread: equal values stay in id order)
      float cv = v;
      int ci = i;
#pragma unroll
      for (int j = 0; j < MAX_K; j++) {
        if (j < k && before(cv, ci, tv[j], ti[j])) {
          const float t = tv[j];
          const int u = ti[j];
          tv[j] = cv;
          ti[j] = ci;
          cv = t;
          ci = u;
        }
        if (j == k - 1) {
          last_v = tv[j];
          last_i = ti[j];
        }
      }
    }
  }
  mx = warp_max(mx);
  if (lane == 0) sv[warp] = mx;
  __syncthreads();
  if (threadIdx.x == 0) {
    float m = sv[0];
    for (int w = 1; w < NWARPS; w++) m = fmaxf(m, sv[w]);
    s_max = m;
  }
  __syncthreads();
  mx = s_max;

  // 2. sum of exp(l - max) in double, and the chosen token's rank
  const int given = params[(size_t)stride * blockIdx.x + 17];
  const int chosen = given >= 0 ? given : sampled[blockIdx.x];
  const float cl = row[chosen];
  double sum = 0.0;
  int above = 0;
  for (int i = threadIdx.x; i < vocab; i += THREADS) {
    const float v = row[i];
    sum += (double)__expf(v - mx);
    above += v > cl;
  }
#pragma unroll
  for (int o = 16; o > 0; o >>= 1) {
    sum += __shfl_xor_sync(0xffffffffu, sum, o);
    above += __shfl_xor_sync(0xffffffffu, above, o);
  }
  if (lane == 0) {
    sd[warp] = sum;
    si[warp] = above;
  }
  __syncthreads();
  double total = 0.0;
  int rank = 1;
  for (int w = 0; w < NWARPS; w++) {
    total += sd[w];
    rank += si[w];
  }
  const double lse = (double)mx + log(total);
  int* o = out + (size_t)blockIdx.x * OUT_WORDS;
  if (threadIdx.x == 0) {
    o[0] = __float_as_int((float)((double)cl - lse));
    o[1] = rank;
  }
  __syncthreads();  // sd and si are free again

  // 3. k rounds of a block argmax over the lists' heads
  int head = 0;
  for (int r = 0; r < k; r++) {
    float v = -INFINITY;
    int id = 0x7fffffff;
#pragma unroll
    for (int j = 0; j < MAX_K; j++) {
      if (j == head) {
        v = tv[j];
        id = ti[j];
      }
    }
    float bv = v;
    int bi = id;
#pragma unroll
    for (int off = 16; off > 0; off >>= 1) {
      const float ov = __shfl_xor_sync(0xffffffffu, bv, off);
      const int oi = __shfl_xor_sync(0xffffffffu, bi, off);
      if (before(ov, oi, bv, bi)) {
        bv = ov;
        bi = oi;
      }
    }
    if (lane == 0) {
      sv[warp] = bv;
      si[warp] = bi;
    }
    __syncthreads();
    if (threadIdx.x == 0) {
      float wv = sv[0];
      int wi = si[0];
      for (int w = 1; w < NWARPS; w++) {
        if (before(sv[w], si[w], wv, wi)) {
          wv = sv[w];
          wi = si[w];
        }
      }
      o[2 + r] = wi;
      o[2 + MAX_K + r] = __float_as_int((float)((double)wv - lse));
      s_winner = wi;
    }
    __syncthreads();
    if (id == s_winner && head < MAX_K) head++;  // ids are unique: exactly one thread moves on
    __syncthreads();
  }
}
