// Full sampling on the device, in the engine's CPU Sampler order (vLLM's): the sequence's token
// bias row (allowed_token_ids, bad_words and min_tokens bans as -inf, logit_bias added; kept per
// sequence like the penalty counts); repetition, frequency and presence penalties; greedy argmax, or temperature, min_p, top_k, top_p and an inverse-CDF
// draw in token-id order with the sequence's own uniform. One block of 512 threads per row.
//
// top_k and top_p find their thresholds by radix select over order-preserving 32-bit keys of the
// logits (4 passes of 8-bit digits, each a counting pass over the row), never a sort: top_k counts
// tokens per digit, top_p sums their probability mass per digit. Mass is summed per warp in shared
// memory and then across warps in a fixed order (no floating-point atomics), so a row always gives
// the same token for the same uniform.
#include "common.cuh"
#include "greedy_word.cuh"
#include "warp_select.cuh"

#define THREADS 512
#define NWARPS (THREADS / 32)
#define BINS 256
#define ROW_WORDS 19
#define NO_DIGIT 0xffffffffu
// counts[slot * vocab + token]: output occurrences in the low 30 bits, PROMPT_FLAG when the token
// is in the prompt (both make it "seen" for the repetition penalty).
#define PROMPT_FLAG (1 << 30)
#define COUNT_MASK (PROMPT_FLAG - 1)

// One row's logits and what turns them into the values the filters see.
struct RowView {
  const float* logits;
  const int* counts;  // this sequence's token counts; null: no penalties
  const float* bias;  // this sequence's token bias row (-inf: banned); null: none
  float scale;        // 1 / temperature (1 for greedy)
  float rep;          // repetition penalty
  double freq, pres;  // frequency and presence penalties
  double min_thr;     // min_p threshold (max + log(min_p)); -inf for none
  float kth;          // top_k threshold; -inf for none
};

struct Shared {
  int cnt[BINS];
  double wmass[NWARPS][BINS];
  double bmass[BINS];
  double dscan[NWARPS];
  int iscan[NWARPS];
  float fv[NWARPS];
  int fi[NWARPS];
  unsigned sel_digit;
  int sel_count_above;
  int sel_count;
  double sel_mass_above;
  int last_owner;
  int pick;
};

// Penalties then temperature, exactly as the CPU Sampler computes them in float.
__device__ __forceinline__ float penalized(const RowView& v, int i) {
  float x = v.logits[i];
  if (v.bias) x += v.bias[i];  // as the CPU: masked tokens stay -inf, the others get their bias
  if (v.counts) {
    const int c = v.counts[i];
    if (c != 0) {
      if (v.rep != 1.f) x = x > 0.f ? x / v.rep : x * v.rep;
      const int n = c & COUNT_MASK;
      if (n != 0) x -= (float)(v.freq * n + v.pres);
    }
  }
  return x * v.scale;
}

// After min_p and top_k: removed tokens are -inf.
__device__ __forceinline__ float filtered(const RowView& v, int i) {
  const float x = penalized(v, i);
  return ((double)x < v.min_thr || x < v.kth) ? -INFINITY : x;
}

__device__ __forceinline__ float key_value(unsigned k) {
  return __uint_as_float((k & 0x80000000u) ? (k & 0x7fffffffu) : ~k);
}

// Exclusive prefix over the block in thread order; *total gets the whole sum.
template <typename T>
__device__ T block_exclusive_scan(T v, T* ws, T* total) {
  const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
  T incl = v;
  WARP_INCLUSIVE_SCAN(T, incl, lane)
  if (lane == 31) ws[warp] = incl;
  __syncthreads();
  if (warp == 0) {
    T w = lane < NWARPS ? ws[lane] : (T)0;
    WARP_INCLUSIVE_SCAN(T, w, lane)
    if (lane < NWARPS) ws[lane] = w;  // inclusive prefix over warps
  }
  __syncthreads();
  const T before = (warp > 0 ? ws[warp - 1] : (T)0) + incl - v;
  *total = ws[NWARPS - 1];
  __syncthreads();  // ws may be reused right after
  return before;
}

// (Not inlined: inlined, ptxas spilled registers of the whole kernel.)
// Warp 0 picks the digit holding the rem-th largest key among the counted candidates: digits are
// scanned from 255 down, 8 per lane. Writes sel_digit and sel_count_above (candidates above it).
__device__ __noinline__ void select_by_count(Shared& s, int rem) {
  const int lane = threadIdx.x & 31;
  const int hi = BINS - 1 - 8 * lane;
  int t = 0;
#pragma unroll
  for (int j = 0; j < 8; j++) t += s.cnt[hi - j];
  int incl = t;
  WARP_INCLUSIVE_SCAN(int, incl, lane)
  int c = incl - t;
  if (c < rem && rem <= incl) {
    for (int j = 0; j < 8; j++) {
      const int n = s.cnt[hi - j];
      if (c + n >= rem) {
        s.sel_digit = hi - j;
        s.sel_count_above = c;
        s.sel_count = n;
        break;
      }
      c += n;
    }
  }
}

// The k-th largest (1-based, 0 < k <= vocab) of the min_p-filtered values, by radix select.
__device__ float kth_largest(RowView v, int vocab, int k, Shared& s) {
  v.kth = -INFINITY;
  const int lane = threadIdx.x & 31;
  unsigned prefix = 0, mask = 0;
  int rem = k;
  for (int shift = 24; shift >= 0; shift -= 8) {
    for (int b = threadIdx.x; b < BINS; b += THREADS) s.cnt[b] = 0;
    __syncthreads();
    for (int base = 0; base < vocab; base += THREADS) {
      const int i = base + threadIdx.x;
      unsigned digit = NO_DIGIT;
      if (i < vocab) {
        const unsigned key = order_key(filtered(v, i));
        if ((key & mask) == prefix) digit = (key >> shift) & (BINS - 1);
      }
      const unsigned peers = __match_any_sync(0xffffffffu, digit);
      if (digit != NO_DIGIT && lane == __ffs(peers) - 1) atomicAdd(&s.cnt[digit], __popc(peers));
    }
    __syncthreads();
    if (threadIdx.x < 32) select_by_count(s, rem);
    __syncthreads();
    prefix |= s.sel_digit << shift;
    mask |= (unsigned)(BINS - 1) << shift;
    rem -= s.sel_count_above;
  }
  return key_value(prefix);
}

// Warp 0 picks the largest digit whose candidates, with the mass above them, reach `needed`
// (or, when rounding leaves the total short, the lowest digit holding any mass).
__device__ __noinline__ void select_by_mass(Shared& s, double above, double needed) {
  const int lane = threadIdx.x & 31;
  const int hi = BINS - 1 - 8 * lane;
  double t = 0.0;
#pragma unroll
  for (int j = 0; j < 8; j++) t += s.bmass[hi - j];
  double incl = t;
  WARP_INCLUSIVE_SCAN(double, incl, lane)
  double excl = __shfl_up_sync(0xffffffffu, incl, 1);
  if (lane == 0) excl = 0.0;
  double c = excl;
  int hit = -1, last = -1;
  double hit_above = 0.0, last_above = 0.0;
  for (int j = 0; j < 8; j++) {
    const int d = hi - j;
    if (s.cnt[d] == 0) continue;
    if (above + c + s.bmass[d] >= needed) {
      hit = d;
      hit_above = c;
      break;
    }
    last = d;
    last_above = c;
    c += s.bmass[d];
  }
  const unsigned hits = __ballot_sync(0xffffffffu, hit >= 0);
  if (hits != 0) {
    if (lane == __ffs(hits) - 1) {
      s.sel_digit = hit;
      s.sel_mass_above = hit_above;
      s.sel_count = s.cnt[hit];
    }
  } else {
    const unsigned lasts = __ballot_sync(0xffffffffu, last >= 0);
    if (lane == 31 - __clz(lasts)) {  // the highest lane holds the lowest digits
      s.sel_digit = last;
      s.sel_mass_above = last_above;
      s.sel_count = s.cnt[last];
    }
  }
}

// top_p: the key of the smallest kept value v*, the mass strictly above it, and how many tokens
// equal v*. Only tokens with mass take part.
__device__ void top_p_threshold(const RowView& v, int vocab, float mx, double needed, Shared& s,
                                unsigned* vkey, double* above_out, int* ties) {
  const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
  unsigned prefix = 0, mask = 0;
  double above = 0.0;
  for (int shift = 24; shift >= 0; shift -= 8) {
    for (int b = threadIdx.x; b < BINS; b += THREADS) s.cnt[b] = 0;
    for (int b = lane; b < BINS; b += 32) s.wmass[warp][b] = 0.0;
    __syncthreads();
    for (int base = 0; base < vocab; base += THREADS) {
      const int i = base + threadIdx.x;
      unsigned digit = NO_DIGIT;
      double m = 0.0;
      if (i < vocab) {
        const float x = filtered(v, i);
        const unsigned key = order_key(x);
        if (x != -INFINITY && (key & mask) == prefix) {
          m = exp((double)(x - mx));
          if (m > 0.0) digit = (key >> shift) & (BINS - 1);
        }
      }
      // one butterfly per distinct digit in the warp (a warp-uniform loop; the same sum order
      // every run): its first lane adds count and mass to the warp's histogram
      unsigned todo = __ballot_sync(0xffffffffu, digit != NO_DIGIT);
      while (todo != 0) {
        const int src = __ffs(todo) - 1;
        const unsigned d = __shfl_sync(0xffffffffu, digit, src);
        const unsigned group = __ballot_sync(0xffffffffu, digit == d);
        double sum = digit == d ? m : 0.0;
#pragma unroll
        for (int o = 16; o > 0; o >>= 1) sum += __shfl_xor_sync(0xffffffffu, sum, o);
        if (lane == src) {
          atomicAdd(&s.cnt[d], __popc(group));
          s.wmass[warp][d] += sum;  // only this lane of this warp writes this digit
        }
        todo &= ~group;
      }
    }
    __syncthreads();
    for (int b = threadIdx.x; b < BINS; b += THREADS) {
      double t = 0.0;
      for (int w = 0; w < NWARPS; w++) t += s.wmass[w][b];
      s.bmass[b] = t;
    }
    __syncthreads();
    if (threadIdx.x < 32) select_by_mass(s, above, needed);
    __syncthreads();
    prefix |= s.sel_digit << shift;
    mask |= (unsigned)(BINS - 1) << shift;
    above += s.sel_mass_above;
  }
  *vkey = prefix;
  *above_out = above;
  *ties = s.sel_count;
}

// params, ROW_WORDS words a row (see DeviceSampling): 0 1/temperature (0 = greedy), 1 log(min_p)
// as float (-inf = none), 2 u as float (both read by sample_rows), 3 top_k (<= 0 or >= vocab =
// none), 4 repetition penalty, 5 penalty slot (-1 = no penalties), 6-7 top_p (double, low word
// first), 8-9 frequency, 10-11 presence, 12-13 u, 14-15 log(min_p) (doubles), 16-17 logprobs k
// and the chosen token (read by logprobs.cu), 18 whether the slot's bias row applies.
// counts: [slots, vocab] (see PROMPT_FLAG); bias: [slots, vocab] floats (null where no sequence
// has one). greedy (null: none): a greedy_word of row 0's argmax, written by the kernel before
// (the persistent kernel's LM head); a one-row launch whose row is greedy, without penalties or
// bias, takes it instead of scanning the row. grid rows, block 512.
constexpr int ARGMAX_LOADS = 8;  // 16-byte loads in flight a thread in the greedy scan
extern "C" __global__ void __launch_bounds__(THREADS, 2)  // 64 registers, no spills
    sample_rows_full(const float* __restrict__ logits, int vocab, const int* __restrict__ params,
                     const int* __restrict__ counts, const float* __restrict__ bias, int* __restrict__ out,
                     const unsigned long long* __restrict__ greedy) {
  PDL_ENTER();
  __shared__ Shared s;
  const int* p = params + ROW_WORDS * blockIdx.x;
  const float inv_t = __int_as_float(p[0]), log_min_p = __int_as_float(p[1]);
  const double u = __hiloint2double(p[13], p[12]);
  const int top_k = p[3];
  const int slot = p[5];
  const double top_p = __hiloint2double(p[7], p[6]);
  if (greedy && gridDim.x == 1 && inv_t == 0.f && slot < 0) {
    // the scan would find the same token (0 where the row has no maximum, as below)
    if (threadIdx.x == 0) {
      const unsigned long long w = *greedy;
      out[0] = w == 0 ? 0 : greedy_token(w);
    }
    return;
  }
  RowView v;
  v.logits = logits + (size_t)blockIdx.x * vocab;
  v.counts = slot >= 0 ? counts + (size_t)slot * vocab : nullptr;
  v.bias = slot >= 0 && p[18] != 0 && bias ? bias + (size_t)slot * vocab : nullptr;
  v.scale = inv_t == 0.f ? 1.f : inv_t;
  v.rep = __int_as_float(p[4]);
  v.freq = __hiloint2double(p[9], p[8]);
  v.pres = __hiloint2double(p[11], p[10]);
  v.min_thr = -INFINITY;
  v.kth = -INFINITY;
  const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;

  // 1. max and argmax (the first index among equal maxima) of the penalized, tempered values
  float best = -INFINITY;
  int bi = 0x7fffffff;
  if (!v.counts && !v.bias && (vocab & 3) == 0) {
    // no penalties: 16-byte loads, ARGMAX_LOADS in flight a thread (each thread still sees its ids
    // in order). One block reads a whole row, so the loads in flight set its speed: with 2 a
    // thread, a 151,936-token row took 22-23 us on an H100 (docs/benchmarks.md, session 9).
    const float4* l4 = reinterpret_cast<const float4*>(v.logits);
    const int n4 = vocab / 4;
    for (int i0 = threadIdx.x; i0 < n4; i0 += ARGMAX_LOADS * THREADS) {
      float4 q[ARGMAX_LOADS];
#pragma unroll
      for (int k = 0; k < ARGMAX_LOADS; k++) {
        const int i4 = i0 + k * THREADS;
        q[k] = i4 < n4 ? l4[i4] : make_float4(-INFINITY, -INFINITY, -INFINITY, -INFINITY);
      }
#pragma unroll
      for (int k = 0; k < ARGMAX_LOADS; k++) {
        const float xs[4] = {q[k].x * v.scale, q[k].y * v.scale, q[k].z * v.scale, q[k].w * v.scale};
#pragma unroll
        for (int e = 0; e < 4; e++) {
          if (xs[e] > best) {
            best = xs[e];
            bi = 4 * (i0 + k * THREADS) + e;
          }
        }
      }
    }
  } else {
    for (int i = threadIdx.x; i < vocab; i += THREADS) {
      const float x = penalized(v, i);
      if (x > best) {
        best = x;
        bi = i;
      }
    }
  }
  WARP_ARGMAX(best, bi)
  if (lane == 0) {
    s.fv[warp] = best;
    s.fi[warp] = bi;
  }
  __syncthreads();
  if (warp == 0) {
    best = lane < NWARPS ? s.fv[lane] : -INFINITY;
    bi = lane < NWARPS ? s.fi[lane] : 0x7fffffff;
    WARP_ARGMAX(best, bi)
    if (lane == 0) {
      s.fv[0] = best;
      s.fi[0] = bi == 0x7fffffff ? 0 : bi;
    }
  }
  __syncthreads();
  const float mx = s.fv[0];
  const int arg = s.fi[0];
  if (inv_t == 0.f || !(mx > -INFINITY)) {
    if (threadIdx.x == 0) out[blockIdx.x] = arg;
    return;
  }
  // 2. min_p in log space, 3. top_k (ties with the k-th value are kept)
  if (log_min_p > -INFINITY) v.min_thr = (double)mx + __hiloint2double(p[15], p[14]);
  if (top_k > 0 && top_k < vocab) v.kth = kth_largest(v, vocab, top_k, s);

  // 4. top_p: keep values above v*, and of the tokens equal to v* the first `keep_ties` in id
  // order (the CPU Sampler keeps the more likely, then lower ids, while the mass before < needed)
  const bool use_p = top_p < 1.0;
  unsigned vkey = 0;
  int ties = 0, keep_ties = 0;
  if (use_p) {
    double part = 0.0;
    for (int i = threadIdx.x; i < vocab; i += THREADS) {
      const float x = filtered(v, i);
      if (x != -INFINITY) part += exp((double)(x - mx));
    }
    double total;
    block_exclusive_scan(part, s.dscan, &total);
    const double needed = top_p * total;
    double above;
    top_p_threshold(v, vocab, mx, needed, s, &vkey, &above, &ties);
    const double pstar = exp((double)(key_value(vkey) - mx));
    double a = above;
    while (keep_ties < ties && (a < needed || (keep_ties == 0 && above == 0.0))) {
      a += pstar;
      keep_ties++;
    }
  }
  const bool rank_ties = use_p && keep_ties < ties;

  // 5. the draw: each thread owns a contiguous chunk of token ids
  const int chunk = (vocab + THREADS - 1) / THREADS;
  const int from = min(vocab, threadIdx.x * chunk), to = min(vocab, from + chunk);
  int tie_base = 0;
  if (rank_ties) {
    int n = 0;
    for (int i = from; i < to; i++) n += order_key(filtered(v, i)) == vkey;
    int all;
    tie_base = block_exclusive_scan(n, s.iscan, &all);
  }
  // weight of token i (tie: its rank among equal tokens so far, advanced here)
  auto weight = [&](int i, int& tie) -> double {
    const float x = filtered(v, i);
    if (x == -INFINITY) return 0.0;
    if (use_p) {
      const unsigned key = order_key(x);
      if (key < vkey) return 0.0;
      if (key == vkey && rank_ties && tie++ >= keep_ties) return 0.0;
    }
    return exp((double)(x - mx));
  };
  double sum = 0.0;
  int tie = tie_base;
  for (int i = from; i < to; i++) sum += weight(i, tie);
  if (threadIdx.x == 0) {
    s.pick = 0x7fffffff;
    s.last_owner = -1;
  }
  double total;
  const double before = block_exclusive_scan(sum, s.dscan, &total);
  const double target = u * total;
  if (sum > 0.0) atomicMax(&s.last_owner, (int)threadIdx.x);
  if (sum > 0.0 && target >= before && target < before + sum) {
    double cum = before;
    int pick = -1;
    tie = tie_base;
    for (int i = from; i < to; i++) {
      const double w = weight(i, tie);
      if (w == 0.0) continue;
      cum += w;
      pick = i;
      if (cum > target) break;
    }
    atomicMin(&s.pick, pick);  // two chunks may both claim a target on their rounded border
  }
  __syncthreads();
  const bool found = s.pick != 0x7fffffff;
  if (found && threadIdx.x == 0) out[blockIdx.x] = s.pick;
  if (!found && (int)threadIdx.x == s.last_owner) {
    // rounding left the target past the end: the last token with weight, as the CPU does
    int last = arg;
    tie = tie_base;
    for (int i = from; i < to; i++) {
      if (weight(i, tie) > 0.0) last = i;
    }
    out[blockIdx.x] = last;
  }
  if (!found && s.last_owner < 0 && threadIdx.x == 0) out[blockIdx.x] = arg;
}

// Applies the step's count updates: updates[3 j .. 3 j + 2] = {slot, token, add} (add is 1 for an
// output occurrence, PROMPT_FLAG for a prompt token, each prompt token once). grid ceil(n / 256).
extern "C" __global__ void penalty_update(int* __restrict__ counts, int vocab,
                                          const int* __restrict__ updates, int n) {
  PDL_ENTER();
  const int j = blockIdx.x * blockDim.x + threadIdx.x;
  if (j >= n) return;
  const int slot = updates[3 * j], token = updates[3 * j + 1], add = updates[3 * j + 2];
  atomicAdd(&counts[(size_t)slot * vocab + token], add);
}

// The bias rows' step updates: fills[2 j .. 2 j + 1] = {slot, value bits} set a whole row (a newly
// assigned sequence: 0, or -inf where allowed_token_ids applies), before the sets. grid
// (ceil(vocab / 256), n).
extern "C" __global__ void bias_fill(float* __restrict__ bias, int vocab, const int* __restrict__ fills) {
  PDL_ENTER();
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= vocab) return;
  bias[(size_t)fills[2 * blockIdx.y] * vocab + i] = __int_as_float(fills[2 * blockIdx.y + 1]);
}

// sets[3 j .. 3 j + 2] = {slot, token, value bits}: a token's bias, or -inf while it is banned.
// grid ceil(n / 256).
extern "C" __global__ void bias_set(float* __restrict__ bias, int vocab, const int* __restrict__ sets, int n) {
  PDL_ENTER();
  const int j = blockIdx.x * blockDim.x + threadIdx.x;
  if (j >= n) return;
  bias[(size_t)sets[3 * j] * vocab + sets[3 * j + 1]] = __int_as_float(sets[3 * j + 2]);
}
