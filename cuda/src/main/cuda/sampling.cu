// Sampling on the device, so that only token ids travel back.
#include "common.cuh"
#include "warp_select.cuh"

// Greedy: out[r] = argmax(logits[r]) (the first index among equal maxima). grid rows, block 1024.
extern "C" __global__ void argmax_rows(const float* __restrict__ logits, int vocab,
                                       int* __restrict__ out) {
  PDL_ENTER();
  __shared__ float sv[32];
  __shared__ int si[32];
  const float* row = logits + (size_t)blockIdx.x * vocab;
  float best = -INFINITY;
  int bi = 0x7fffffff;
  for (int i = threadIdx.x; i < vocab; i += blockDim.x) {
    const float v = row[i];
    if (v > best) {
      best = v;
      bi = i;
    }
  }
  WARP_ARGMAX(best, bi)
  const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
  if (lane == 0) {
    sv[warp] = best;
    si[warp] = bi;
  }
  __syncthreads();
  if (warp == 0) {
    const int nw = blockDim.x >> 5;
    best = lane < nw ? sv[lane] : -INFINITY;
    bi = lane < nw ? si[lane] : 0x7fffffff;
    WARP_ARGMAX(best, bi)
    if (lane == 0) out[blockIdx.x] = bi == 0x7fffffff ? 0 : bi;
  }
}

// Sampling as the engine's CPU Sampler does it, for rows without penalties, biases or top-k/top-p:
// params[stride r .. stride r + 2] = {1 / temperature (0 for greedy), log(min_p) (-inf for none), u}.
// Greedy rows take the argmax. Others scale the logits by 1 / temperature, mask those below
// max + log(min_p), and draw by inverse CDF in token-id order: the first token whose cumulative
// weight exp(l - max) exceeds u times the total. grid rows, block 1024.
extern "C" __global__ void sample_rows(const float* __restrict__ logits, int vocab,
                                       const float* __restrict__ params, int stride,
                                       int* __restrict__ out) {
  PDL_ENTER();
  __shared__ float sv[32];
  __shared__ int si[32];
  __shared__ double sd[32];
  __shared__ double prefix_shared[1024];
  __shared__ int found;
  const float* row = logits + (size_t)blockIdx.x * vocab;
  const float inv_t = params[stride * blockIdx.x], log_min_p = params[stride * blockIdx.x + 1];
  const double u = params[stride * blockIdx.x + 2];
  const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, nw = blockDim.x >> 5;
  // 1. max (and argmax) of the scaled logits
  float best = -INFINITY;
  int bi = 0x7fffffff;
  const float scale = inv_t == 0.f ? 1.f : inv_t;
  for (int i = threadIdx.x; i < vocab; i += blockDim.x) {
    const float v = row[i] * scale;
    if (v > best) {
      best = v;
      bi = i;
    }
  }
  WARP_ARGMAX(best, bi)
  if (lane == 0) {
    sv[warp] = best;
    si[warp] = bi;
  }
  __syncthreads();
  if (warp == 0) {
    best = lane < nw ? sv[lane] : -INFINITY;
    bi = lane < nw ? si[lane] : 0x7fffffff;
    WARP_ARGMAX(best, bi)
    if (lane == 0) {
      sv[0] = best;
      si[0] = bi == 0x7fffffff ? 0 : bi;
    }
  }
  __syncthreads();
  const float mx = sv[0];
  if (inv_t == 0.f || mx == -INFINITY) {
    if (threadIdx.x == 0) out[blockIdx.x] = si[0];
    return;
  }
  const double threshold = (double)mx + (double)log_min_p;
  // 2. each thread sums the weights of its contiguous chunk; a block scan gives chunk offsets
  const int chunk = (vocab + blockDim.x - 1) / blockDim.x;
  const int from = threadIdx.x * chunk, to = min(vocab, from + chunk);
  double sum = 0.0;
  for (int i = from; i < to; i++) {
    const float v = row[i] * scale;
    if ((double)v >= threshold) sum += exp((double)(v - mx));
  }
  double incl = sum;
  WARP_INCLUSIVE_SCAN(double, incl, lane)
  if (lane == 31) sd[warp] = incl;
  if (threadIdx.x == 0) found = 0;
  __syncthreads();
  if (warp == 0) {
    double w = lane < nw ? sd[lane] : 0.0;
    WARP_INCLUSIVE_SCAN(double, w, lane)
    sd[lane] = w;  // inclusive prefix over warps
  }
  __syncthreads();
  const double before = (warp > 0 ? sd[warp - 1] : 0.0) + incl - sum;
  const double total = sd[nw - 1];
  prefix_shared[threadIdx.x] = sum;
  const double target = u * total;
  // 3. the thread whose chunk holds the target walks it
  if (sum > 0.0 && target >= before && target < before + sum) {
    double cum = before;
    int pick = -1;
    for (int i = from; i < to; i++) {
      const float v = row[i] * scale;
      if ((double)v < threshold) continue;
      cum += exp((double)(v - mx));
      pick = i;
      if (cum > target) break;
    }
    out[blockIdx.x] = pick;
    found = 1;
  }
  __syncthreads();
  if (found == 0 && threadIdx.x == 0) {
    // rounding left the target past the end: the last token with weight, as the CPU sampler does
    int last = si[0];
    for (int t = blockDim.x - 1; t >= 0; t--) {
      if (prefix_shared[t] > 0.0) {
        const int f = t * chunk, e = min(vocab, f + chunk);
        for (int i = e - 1; i >= f; i--) {
          if ((double)(row[i] * scale) >= threshold) {
            last = i;
            break;
          }
        }
        break;
      }
    }
    out[blockIdx.x] = last;
  }
}
