// Every decoder layer of a decode step of one or two sequences, one token each, in one launch
// (sm_90; two-token entries for a few head dims: see the entries at the end): a persistent kernel with
// one block per multiprocessor that walks the layers' phases, separated by grid-wide barriers
// (from QKV to attention and from attention to O, tagged words instead: see qkv_tag and
// attention_tag):
//   QKV     input RMSNorm (each block normalises the residual itself), the QKV projection;
//   ATTN    per (kv head, chunk of the context): q/k norm and RoPE of the token's heads (q rounded
//           to bf16 as the other paths hand it over), the k/v write into the paged cache (by the
//           chunk that holds the newest key), attention over the chunk, chunks merged by the
//           block that finishes a head's last chunk, the outputs stored as tagged words;
//   O       the O projection added into the f32 residual;
//   GATEUP  post-attention RMSNorm, gate/up projection, SiLU(gate) x up;
//   DOWN    the down projection added into the residual (the last layer's too);
// and after the last layer, where the host passes the LM head (its rows' sums fit a block):
//   LM      the final RMSNorm and the LM head, f32 logits and their argmax (for greedy sampling);
//           its first tiles stream during the last layer. Otherwise the runner's next launch does
//           the norm and the LM head (gemv.cu's NORM/LOGITS entry).
// Why: at batch 1 the weights are ~95% of the bytes, and separate launches leave the memory system
// idle between dependent kernels. Here a producer warp per block streams that block's share of
// every weight matrix through a ring of shared-memory slots with bulk asynchronous copies
// (cp.async.bulk, completion on mbarriers). Weights do not depend on activations, so the producer
// runs ahead across barriers and phases, bounded only by the ring; the consumer warps wait only
// for their activations. Each block owns a contiguous range of every matrix's output rows, which
// is one contiguous piece of memory: a tile is one bulk copy of whole rows (two for gate/up).
//
// Arithmetic matches the fused GEMV path (gemv.cu) and paged attention: bf16 weights and inputs,
// f32 sums, the same bf16 roundings of projection outputs and of q, k and v; sums are taken in
// another order. Row shares, head counts and the ring position are worked out once per launch:
// divisions on every phase and tile cost a measurable part of a layer.
//
// Cross-block data (qkv, attention output, activations, residual) is read through L2 (__ldcg):
// L1 is not coherent across multiprocessors. The barrier flips the top bit of one counter (the
// counter's low bits return to zero at every barrier, so it needs no reset between launches).
#include "async_copy.cuh"
#include "greedy_word.cuh"
#include "qkv_head.cuh"

namespace {
// One layer's weights and cache (the Java side writes this table: 11 pointers per layer).
struct LayerPtrs {
  const bf16* input_norm;
  const bf16* qkv;
  const bf16* qkv_bias;
  const bf16* q_norm;
  const bf16* k_norm;
  const bf16* o;
  const bf16* post_norm;
  const bf16* gate_up;
  const bf16* down;
  bf16* k_cache;
  bf16* v_cache;
};
}  // namespace

constexpr int PARAM_SLOTS = 36;
// The kernel's one parameter, read in place from parameter space (__grid_constant__): a local copy
// would sit in local memory, which every phase would read through L2. Each field takes one 8-byte
// slot, in the order the host packs its arguments (PersistentDecode.launch).
struct Params {
  const LayerPtrs* layers;
  alignas(8) int num_layers;
  alignas(8) int hidden;
  alignas(8) int nq;
  alignas(8) int nkv;
  alignas(8) int D;
  alignas(8) int inter;
  alignas(8) float eps;
  alignas(8) float scale;
  alignas(8) int window;
  alignas(8) int block_shift;  // log2 of the cache's block size (a power of two)
  alignas(8) int bt_stride;
  alignas(8) int max_chunks;
  alignas(8) int stages;
  // 1 (small layers): a gated weight stream (see stream_quiet); 0: the producer runs ahead freely.
  alignas(8) int stream_gated;
  const bf16* embedding;   // [vocab, hidden] the token embedding table: layer 0's input is a row of it
  const int* ids;          // [1] the token
  float* residual;         // [hidden] f32
  unsigned long long* qkv_words;  // [(nq + 2 nkv) D] the QKV projection as tagged words (qkv_tag)
  bf16* attention;         // [nq D]
  bf16* act;               // [inter]
  const int* positions;    // [1]
  const int* slots;        // [1]
  const int* token_seq;    // [1]
  const int* block_tables;
  const float* inv_freq;
  float* part_acc;  // [nq * max_chunks, D]
  float* part_ml;   // [nq * max_chunks, 2]
  // [2 (nq + 2 nkv)]: the first nkv are merge counts (zero between launches), [nq + 2 nkv] the
  // launch epoch of the QKV words' tags (the other ints are the fused GEMV path's)
  int* counts;
  unsigned* barrier;
  // Optional (null: off): per block, TRACE_POINTS clock64() stamps per layer, then TRACE_EXTRA
  // values: the cycles its producer waited for free slots, the cycles its consumers waited for
  // weights, and %globaltimer (ns) and clock64() at the start and at the end (to convert cycles).
  unsigned long long* trace;
  // Optional (null: the runner's own launch does it): the final norm and the LM head as a last
  // phase, f32 logits out (see lm_stream)
  const bf16* lm_head;     // [vocab, hidden]
  const bf16* final_norm;  // [hidden]
  float* logits;           // [vocab]
  alignas(8) int vocab;
  // Optional (null: off; only with lm_head): the logits' argmax as a greedy_word, zeroed by the
  // launch, for the sampler after it (greedy rows then skip their scan of the logits)
  unsigned long long* greedy;
};
static_assert(sizeof(Params) == PARAM_SLOTS * 8, "one 8-byte slot per field");

#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 900
#include "persistent_sync.cuh"
namespace {
// What-if switches, for measurement only (the outputs are meaningless): each leaves a part of the
// work out, so that a step's time without it bounds what making that part faster could gain
// (docs/benchmarks.md, session 11). NO_TILES: the projection tiles of the layers stream and are
// waited for, but not multiplied; NO_DOTS: no attention key loop; NO_PREP: no q/k norm, RoPE or
// newest-key write; NO_MERGE: no chunk partials, count or merge (chunk 0's output goes on).
#ifdef BARISTA_WHATIF_NO_TILES
constexpr bool WHATIF_NO_TILES = true;
#else
constexpr bool WHATIF_NO_TILES = false;
#endif
#ifdef BARISTA_WHATIF_NO_DOTS
constexpr bool WHATIF_NO_DOTS = true;
#else
constexpr bool WHATIF_NO_DOTS = false;
#endif
#ifdef BARISTA_WHATIF_NO_PREP
constexpr bool WHATIF_NO_PREP = true;
#else
constexpr bool WHATIF_NO_PREP = false;
#endif
#ifdef BARISTA_WHATIF_NO_MERGE
#ifndef BARISTA_ATTENTION_BARRIER
#error "BARISTA_WHATIF_NO_MERGE needs BARISTA_ATTENTION_BARRIER: chunk 0's output words would replace q rows still being read"
#endif
constexpr bool WHATIF_NO_MERGE = true;
#else
constexpr bool WHATIF_NO_MERGE = false;
#endif
constexpr int CONSUMER_WARPS = 16;
constexpr int CONSUMERS = CONSUMER_WARPS * 32;
constexpr int PRODUCER = CONSUMERS;       // the producer warp's first thread
constexpr int PREFETCHER = CONSUMERS + 32;  // the key prefetch warp's first thread
constexpr int THREADS = CONSUMERS + 64;     // and a producer warp and a key prefetch warp
constexpr int MAX_STAGES = 8;            // ring slots (the launch passes how many fit)
constexpr int SLOT_BYTES = 32 << 10;
constexpr int MAX_TILE_ROWS = 16;  // one consumer warp (or more) per row of a tile
constexpr int MIN_CHUNK_KEYS = 32;  // least keys per attention chunk
constexpr int MAX_LAYERS = 48;
constexpr int MAX_OWN_ROWS = 64;
constexpr int TRACE_POINTS = 22;    // timestamps per layer in a trace
constexpr int ATTENTION_POINTS = 16;  // the first of the attention phase's own 6
constexpr int TRACE_EXTRA = 6;



enum Phase { QKV = 0, O = 1, GATEUP = 2, DOWN = 3, LM = 4 };
constexpr int PHASES = 5;

struct Matrix {
  const bf16* w;
  int in, out, mats;  // mats 2: gate rows [0, out), up rows [out, 2 out)
};

__device__ __forceinline__ Matrix matrix(const Params& p, const LayerPtrs& L, int phase) {
  switch (phase) {
    case QKV: return {L.qkv, p.hidden, (p.nq + 2 * p.nkv) * p.D, 1};
    case O: return {L.o, p.nq * p.D, p.hidden, 1};
    case GATEUP: return {L.gate_up, p.hidden, p.inter, 2};
    case DOWN: return {L.down, p.inter, p.hidden, 1};
    default: return {p.lm_head, p.hidden, p.vocab, 1};
  }
}

// Output units (rows, or gate/up row pairs) per tile: a power of two, at most 16 rows, that fits
// a slot (the host checks that one unit does).
__device__ __forceinline__ int tile_units(const Matrix& m) {
  const int unit_bytes = m.in * 2 * m.mats;
  int u = MAX_TILE_ROWS / m.mats;
  while (u > 1 && u * unit_bytes > SLOT_BYTES) u >>= 1;
  return u;
}

// This block's output rows [lo, hi) of a matrix: an even contiguous share.
__device__ __forceinline__ int2 block_rows(int out) {
  return make_int2((int)((long long)blockIdx.x * out / gridDim.x), (int)((long long)(blockIdx.x + 1) * out / gridDim.x));
}

// A block's share of one phase's matrix, the same in every layer: computed once per launch (the
// divisions are long dependent chains) and kept in shared memory.
struct PhaseShare {
  int lo, hi, units;
};
__device__ __forceinline__ PhaseShare phase_share(const Params& p, int phase) {
  const Matrix m = matrix(p, LayerPtrs{}, phase);
  const int2 rows = block_rows(m.out);
  return PhaseShare{rows.x, rows.y, tile_units(m)};
}

// A consumer warp's part of every tile of a phase: the tile row it reads (matrix `mat`, unit
// `unit`) and which of the `parts` slices of that row. Also worked out once per launch: recomputed
// in every phase, these divisions took ~3% of a Qwen3-0.6B step in Nsight Compute's samples.
struct WarpTask {
  unsigned char mat, unit, part, parts;
};
__device__ __forceinline__ WarpTask warp_task(const Params& p, int phase, int warp) {
  const Matrix m = matrix(p, LayerPtrs{}, phase);
  const int u = tile_units(m);
  const int parts = CONSUMER_WARPS / (u * m.mats);  // tiles have a power of two rows, at most 16
  const int tr = warp / parts;
  return WarpTask{(unsigned char)(tr / u), (unsigned char)(tr % u), (unsigned char)(warp % parts), (unsigned char)parts};
}

// Where the ring is: the slot, and how many times it has wrapped (its mbarriers' phase parity).
struct RingPos {
  int slot = 0;
  unsigned round = 0;
  __device__ __forceinline__ void next(int stages) {
    if (++slot == stages) {
      slot = 0;
      ++round;
    }
  }
};

// The consumer warps only (the producer and prefetch warps never join): named barrier 1.
__device__ __forceinline__ void consumer_sync() { named_sync<CONSUMERS>(); }

__device__ __forceinline__ void prefetch_l2(const void* p) { asm volatile("prefetch.global.L2 [%0];" ::"l"(p)); }

// The QKV projection goes from its epilogue to the attention phase as 8-byte words: the value (a
// bf16-exact float) and a tag of the launch and the layer, each stored and loaded as one access.
// An attention item polls the words it needs until they carry its tag: no release fence, count or
// flag between a writer's store and a reader's load, and the poll brings the rows themselves
// (per-head ready counts cost a release after each epilogue, then the rows' own round trip).
// The epoch advances once a launch (block 0, when every block has read it), so no word left by an
// earlier launch or layer carries the tag; the top bit keeps zeroed words from matching.
__shared__ unsigned launch_epoch;  // of this launch's QKV words, read after pdl_wait
__device__ __forceinline__ unsigned qkv_tag(unsigned epoch, int layer) {
  return 0x80000000u | ((epoch & 0x1ffffffu) << 6) | (unsigned)layer;  // layers < 64 (MAX_LAYERS)
}
__device__ __forceinline__ unsigned* epoch_word(const Params& p) {
  return reinterpret_cast<unsigned*>(p.counts + p.nq + 2 * p.nkv);
}
__device__ __forceinline__ void store_word(unsigned long long* w, float v, unsigned tag) {
  const unsigned long long word = ((unsigned long long)tag << 32) | __float_as_uint(v);
  asm volatile("st.relaxed.gpu.global.u64 [%0], %1;" ::"l"(w), "l"(word) : "memory");
}
__device__ __forceinline__ unsigned long long load_word(const unsigned long long* w) {
  unsigned long long v;
  asm volatile("ld.relaxed.gpu.global.u64 %0, [%1];" : "=l"(v) : "l"(w));
  return v;
}

// The attention outputs go to the O phase the same way, in the words of the q rows they replace
// (every item of a kv head has read its q rows once the head's chunks are counted), with a tag of
// their own: the O phase polls them instead of a grid barrier and a copy (two L2 round trips
// after the last merge instead of one). A zeroed or QKV word never carries it: it differs from
// the layer's QKV tag in bit 30, i.e. from the tags of epochs 2^24 launches away.
__device__ __forceinline__ unsigned attention_tag(unsigned epoch, int layer) { return qkv_tag(epoch, layer) ^ 0x40000000u; }

// xs[0, n) = the attention outputs, as their words arrive: each thread keeps up to 8 loads in
// flight and polls again only those whose tag is not there yet.
constexpr int ATTENTION_WORDS = 8;  // words a thread polls at once
__device__ __forceinline__ void stage_attention(bf16* xs, const unsigned long long* words, int n, unsigned tag) {
  for (int base = 0; base < n; base += ATTENTION_WORDS * CONSUMERS) {
    unsigned long long w[ATTENTION_WORDS];
#pragma unroll
    for (int k = 0; k < ATTENTION_WORDS; k++) w[k] = 0;
    bool missing;
    do {
      missing = false;
#pragma unroll
      for (int k = 0; k < ATTENTION_WORDS; k++) {
        const int i = base + k * CONSUMERS + (int)threadIdx.x;
        if (i < n && (unsigned)(w[k] >> 32) != tag) w[k] = load_word(words + i);
      }
#pragma unroll
      for (int k = 0; k < ATTENTION_WORDS; k++) {
        const int i = base + k * CONSUMERS + (int)threadIdx.x;
        missing |= i < n && (unsigned)(w[k] >> 32) != tag;
      }
    } while (missing);
#pragma unroll
    for (int k = 0; k < ATTENTION_WORDS; k++) {
      const int i = base + k * CONSUMERS + (int)threadIdx.x;
      if (i < n) xs[i] = to_bf(__uint_as_float((unsigned)w[k]));
    }
  }
  consumer_sync();
}

// Sum over the consumer threads; scratch: CONSUMER_WARPS floats.
__device__ __forceinline__ float consumer_sum(float v, float* scratch) {
  v = warp_sum(v);
  if ((threadIdx.x & 31) == 0) scratch[threadIdx.x >> 5] = v;
  consumer_sync();
  float t = 0.f;
#pragma unroll
  for (int w = 0; w < CONSUMER_WARPS; w++) t += scratch[w];
  consumer_sync();  // scratch is free again
  return t;
}

// The norm's weights, copied into xs with cp.async before the grid barrier that precedes the
// norm (which then writes its output over them, element by element). Warps 1-15 issue the copies:
// warp 0's thread 0 arrives at the barrier with a release, which waits for that thread's loads in
// flight (with the weights loaded into registers there, barriers 3 and 5 took 2.3-2.4 us where
// barrier 4 took 1.1; docs/benchmarks.md).
__device__ __forceinline__ void stage_norm_weights(bf16* xs, const bf16* w, int n) {
  for (int c = (int)threadIdx.x - 32; c >= 0 && c < n / 8; c += CONSUMERS - 32) cp_async16(xs + c * 8, w + c * 8, true);
  cp_async_commit();
}

// xs = bf16(w * r / rms(r)) of the f32 residual, as gemv.cu's NORM prologue, with w staged in xs
// (stage_norm_weights). Each thread keeps the residual values it reads (n <= NORM_PER_THREAD *
// CONSUMERS), so L2 is read once. Layer 0 normalises the token's embedding row instead (bf16), as
// the first layer's add_rmsnorm did before the kernel: every block reads the row itself, which
// saves that launch and the embedding's (~10 us of a Qwen3-0.6B step) and needs no exchange.
constexpr int NORM_PER_THREAD = 8;
__device__ __forceinline__ float load_norm_input(const float* p) { return __ldcg(p); }  // other blocks wrote it
__device__ __forceinline__ float load_norm_input(const bf16* p) { return to_f(*p); }  // a read-only table
template <typename T>
__device__ __forceinline__ void stage_norm(bf16* xs, const T* residual, int n, float eps, float* scratch) {
  float v[NORM_PER_THREAD];
  float ss = 0.f;
#pragma unroll
  for (int k = 0; k < NORM_PER_THREAD; k++) {
    const int i = threadIdx.x + k * CONSUMERS;
    v[k] = i < n ? load_norm_input(residual + i) : 0.f;
    ss = fmaf(v[k], v[k], ss);
  }
  cp_async_wait<0>();  // this thread's pieces of w; consumer_sum's barriers publish everyone's
  const float inv = rsqrtf(consumer_sum(ss, scratch) / n + eps);
#pragma unroll
  for (int k = 0; k < NORM_PER_THREAD; k++) {
    const int i = threadIdx.x + k * CONSUMERS;
    if (i < n) xs[i] = to_bf(to_f(xs[i]) * (v[k] * inv));
  }
  consumer_sync();
}

__device__ __forceinline__ void stage_copy(bf16* xs, const bf16* src, int n) {
  for (int c = threadIdx.x; c < n / 8; c += CONSUMERS) {
    reinterpret_cast<uint4*>(xs)[c] = __ldcg(reinterpret_cast<const uint4*>(src) + c);
  }
  consumer_sync();
}

// A gated weight stream (Params::stream_gated, small layers): the producer keeps one tile in
// flight and issues none while stream_quiet is set, which consumer thread 0 sets from the end of
// a phase's tiles until the next phase's tiles start (the epilogue, the grid barrier and the
// norm or input copy: the cross-block exchanges), except around attention. A weight stream
// queues the exchanges behind its copies (exchange_floor: a grid barrier takes 23 us instead of
// 1 while every block streams), and a small layer's chain of exchanges, not its bytes, sets the
// pace: Qwen3-0.6B step 0.980-0.984 ms gated, 1.003-1.013 with a steady pace, 1.10 unpaced.
__shared__ int stream_quiet;
// Set by consumer thread 0 when the LM head's tiles start: from then on the producer streams them
// with as many in flight as the ring holds (gated, one tile in flight, ~2.5 TB/s over the GPU).
// Until then the LM head's first tiles fill the ring during the last layer, at the gated pace.
__shared__ int lm_stream;
// The largest greedy_word of this block's logits (see Params::greedy).
__shared__ unsigned long long lm_best;

// The producer: every tile of every phase of this block, in the consumers' order.
__device__ void produce(const Params& p, const PhaseShare* shares, unsigned char* ring, uint64_t* full,
                        uint64_t* empty) {
  RingPos pos, landed;  // landed: the oldest tile not yet known to be in (gated streams)
  bool in_flight = false;
  unsigned long long waited = 0;
  for (int l = 0; l <= p.num_layers; l++) {
    const bool tail = l == p.num_layers;  // the LM head, where the kernel has it
    if (tail && !p.lm_head) break;
    const LayerPtrs L = tail ? LayerPtrs{} : p.layers[l];
    for (int phase = tail ? LM : QKV; phase <= (tail ? LM : DOWN); phase++) {
      const Matrix m = matrix(p, L, phase);
      const PhaseShare sh = shares[phase];
      for (int r = sh.lo; r < sh.hi; r += sh.units, pos.next(p.stages)) {
        const int n = min(sh.units, sh.hi - r);
        if (pos.round > 0) {
          const unsigned long long t0 = p.trace ? clock64() : 0;
          mbar_wait_sleeping(empty + pos.slot, (pos.round - 1) & 1);
          if (p.trace) waited += clock64() - t0;
        }
        const uint32_t bytes = (uint32_t)n * m.in * 2;
        if (p.stream_gated && !(tail && *(volatile int*)&lm_stream)) {
          if (in_flight) {
            mbar_wait_sleeping(full + landed.slot, landed.round & 1);
            landed.next(p.stages);
          }
          in_flight = true;
          while (*(volatile int*)&stream_quiet) __nanosleep(64);
        }
        mbar_expect_tx(full + pos.slot, bytes * m.mats);
        unsigned char* dst = ring + (size_t)pos.slot * SLOT_BYTES;
        for (int k = 0; k < m.mats; k++) {
          bulk_load(dst + (size_t)k * bytes, m.w + ((size_t)k * m.out + r) * m.in, bytes, full + pos.slot);
        }
      }
    }
  }
  if (p.trace) p.trace[(size_t)blockIdx.x * (p.num_layers * TRACE_POINTS + TRACE_EXTRA) + p.num_layers * TRACE_POINTS] = waited;
}

// The consumers' side of one phase's tiles: dot products from the ring as tiles land, each warp
// releasing a slot when it has read its share (empty barriers count CONSUMER_WARPS arrivals); the
// warps' sums go to sums[] and one consumer barrier per phase precedes the epilogue.
// sums: [rows of this block][mats][wpr][TOK] floats (the host checks it fits MAX_PHASE_SUMS).
// TOK tokens (one each of TOK sequences): token t's input at xs + t xw, each weight piece loaded
// once for all of them.
constexpr int MAX_PHASE_SUMS = 2048;
template <int PHASE, int TOK>
__device__ __forceinline__ void consume(const Params& p, const Matrix& m, const PhaseShare& sh, const WarpTask& task,
                                        unsigned tag,
                                        const bf16* xs, int xw, const unsigned char* ring, uint64_t* full, uint64_t* empty,
                                        float* sums, RingPos& pos, unsigned long long& starved,
                                        unsigned long long* tiles_done, float (*own_residual)[MAX_OWN_ROWS]) {
  const int lane = threadIdx.x & 31;
  const int u = sh.units;
  const int wpr = task.parts, part = task.part, mat = task.mat, unit = task.unit;
  const int chunks = m.in / 8;
  const uint4* x4 = reinterpret_cast<const uint4*>(xs);
  const int xw4 = xw / 8;  // uint4 pieces between tokens' inputs
  const int2 rows = make_int2(sh.lo, sh.hi);
  int t = 0;  // tile of this phase
  if (threadIdx.x == 0) *(volatile int*)&stream_quiet = 0;
  for (int r = rows.x; r < rows.y; r += u, pos.next(p.stages), t++) {
    const int n = min(u, rows.y - r);
    const int slot = pos.slot;
    const unsigned long long t0 = p.trace && threadIdx.x == 0 ? clock64() : 0;
    if (!mbar_test(full + slot, pos.round & 1)) mbar_spin(full + slot, pos.round & 1);
    if (p.trace && threadIdx.x == 0) starved += clock64() - t0;
    // stamps of the first tile (and the second's wait) in the traced QKV phase: 12-15
    if (tiles_done && threadIdx.x == 0 && t < 2) tiles_done[1 + 3 * t] = clock64();
    float* sum_at = sums + (((r - rows.x + unit) * m.mats + mat) * wpr + part) * TOK;
    if (WHATIF_NO_TILES && PHASE != LM) {
      if (lane == 0 && unit < n) {
        for (int k = 0; k < TOK; k++) sum_at[k] = 0.f;
      }
    } else if (unit < n) {
      const uint4* w4 = reinterpret_cast<const uint4*>(ring + (size_t)slot * SLOT_BYTES + (size_t)(mat * n + unit) * m.in * 2);
      float acc[TOK];
#pragma unroll
      for (int k = 0; k < TOK; k++) acc[k] = 0.f;
#pragma unroll 4
      for (int c = part * 32 + lane; c < chunks; c += 32 * wpr) {
        float wf[8];
        unpack8(w4[c], wf);
#pragma unroll
        for (int k = 0; k < TOK; k++) {
          float xf[8];
          unpack8(x4[k * xw4 + c], xf);
#pragma unroll
          for (int i = 0; i < 8; i++) acc[k] = fmaf(wf[i], xf[i], acc[k]);
        }
      }
#pragma unroll
      for (int k = 0; k < TOK; k++) {
        const float v = warp_sum(acc[k]);
        if (lane == 0) sum_at[k] = v;
      }
    }
    if (tiles_done && threadIdx.x == 0 && t == 0) tiles_done[2] = clock64();
    __syncwarp();
    if (lane == 0) mbar_arrive(empty + slot);
    if (tiles_done && threadIdx.x == 0 && t == 0) tiles_done[3] = clock64();
  }
  if (tiles_done && threadIdx.x == 0) *tiles_done = clock64();
  if (threadIdx.x == 0) *(volatile int*)&stream_quiet = 1;
  consumer_sync();
  unsigned long long best = 0;  // LM: this thread's greedy_word
  for (int ot = threadIdx.x; ot < (rows.y - rows.x) * TOK; ot += CONSUMERS) {
    const int o = ot / TOK, k = ot - o * TOK;  // the row, the token
    const int j = rows.x + o;
    float v0 = 0.f, v1 = 0.f;
    for (int q = 0; q < wpr; q++) {
      v0 += sums[((o * m.mats) * wpr + q) * TOK + k];
      if (PHASE == GATEUP) v1 += sums[((o * m.mats + 1) * wpr + q) * TOK + k];
    }
    if (PHASE == LM) {  // one token only (the host keeps the LM head out of multi-token launches)
      p.logits[j] = v0;
      if (v0 > -INFINITY) best = max(best, greedy_word(v0, j));
    } else if (PHASE == QKV) {
      store_word(p.qkv_words + (size_t)k * m.out + j, round_bf(v0), tag);
    } else if (PHASE == GATEUP) {
      const float g = round_bf(v0), up = round_bf(v1);
      p.act[(size_t)k * p.inter + j] = to_bf(g / (1.f + __expf(-g)) * up);
    } else {
      // O and DOWN have the same rows (out = hidden): the block keeps its residual rows
      const float r = own_residual[k][o] + round_bf(v0);
      own_residual[k][o] = r;
      p.residual[(size_t)k * p.hidden + j] = r;
    }
  }
  if (PHASE == LM && p.greedy) {
    // the block's argmax by warp shuffles and a shared atomic, then one global atomic a block
#pragma unroll
    for (int o = 16; o > 0; o >>= 1) best = max(best, __shfl_xor_sync(0xffffffffu, best, o));
    if (lane == 0 && best != 0) atomicMax(&lm_best, best);
    consumer_sync();
    if (threadIdx.x == 0 && lm_best != 0) atomicMax(p.greedy, lm_best);
  }
}

// DL consecutive bf16 of a row (DL = 1, 2, 4 or 8) as floats, one load.
template <int DL>
__device__ __forceinline__ void load_dl(const bf16* src, float* f) {
  if (DL == 8) {
    unpack8(__ldcg(reinterpret_cast<const uint4*>(src)), f);
  } else if (DL == 4) {
    const uint2 r = __ldcg(reinterpret_cast<const uint2*>(src));
    const __nv_bfloat162* h = reinterpret_cast<const __nv_bfloat162*>(&r);
    const float2 a = __bfloat1622float2(h[0]), b = __bfloat1622float2(h[1]);
    f[0] = a.x;
    f[1] = a.y;
    f[2] = b.x;
    f[3] = b.y;
  } else if (DL == 2) {
    const unsigned r = __ldcg(reinterpret_cast<const unsigned*>(src));
    const float2 a = __bfloat1622float2(*reinterpret_cast<const __nv_bfloat162*>(&r));
    f[0] = a.x;
    f[1] = a.y;
  } else {
    const unsigned short r = __ldcg(reinterpret_cast<const unsigned short*>(src));
    f[0] = to_f(__ushort_as_bfloat16(r));
  }
}

// What preparing the heads reads besides their rows, staged in shared memory (stage_head_inputs)
// while the rows are awaited: the q and k norms' weights and the rotary table of this position.
struct HeadInputs {
  bf16* q_norm;  // [D]
  bf16* k_norm;  // [D]
  float* cos;    // [D / 2]
  float* sin;    // [D / 2]
};
__device__ __forceinline__ HeadInputs head_inputs(float* at, int D) {
  return HeadInputs{reinterpret_cast<bf16*>(at), reinterpret_cast<bf16*>(at + D / 2), at + D, at + D + D / 2};
}
// By warps 1-15 (warp 0 waits for the rows); the consumer barrier after the wait publishes it.
__device__ __forceinline__ void stage_head_inputs(const Params& p, const LayerPtrs& L, const HeadInputs& in, int t) {
  const float pos = (float)p.positions[t];
  for (int i = (int)threadIdx.x - 32; i >= 0 && i < p.D; i += CONSUMERS - 32) {
    if (L.q_norm) in.q_norm[i] = L.q_norm[i];
    if (L.k_norm) in.k_norm[i] = L.k_norm[i];
    if (i < p.D / 2) RopeFromFreq{p.inv_freq, pos}.at(i, in.sin + i, in.cos + i);
  }
}

// The per-head work (q heads and the newest key) on the head's projection in b (fetch_head_rows):
// inlined, as a call would spill live registers.
// STAGED: with the inputs staged by stage_head_inputs (groups of 1-2 heads: Qwen3-0.6B step 1.004
// vs 1.013-1.020 ms); larger groups read them from global memory (staged, their entries spill
// 32 bytes more and a Llama-3.1-8B step took 0.3-0.6% longer).
template <bool STAGED>
__device__ __forceinline__ void prepare(const Params& p, const LayerPtrs& L, const HeadInputs& in, int t, int h, float* b,
                                        int lane) {
  if (STAGED) {
    prepare_head<true, bf16, false, RopeFromTable, true>(
        nullptr, L.qkv_bias, L.q_norm ? in.q_norm : nullptr, L.k_norm ? in.k_norm : nullptr, p.eps,
        RopeFromTable{in.cos, in.sin}, p.slots[t], L.k_cache, L.v_cache, p.nq, p.nkv, p.D, h, false, b, lane);
  } else {
    prepare_head<true, bf16, false, RopeFromFreq, true>(
        nullptr, L.qkv_bias, L.q_norm, L.k_norm, p.eps, RopeFromFreq{p.inv_freq, (float)p.positions[t]}, p.slots[t],
        L.k_cache, L.v_cache, p.nq, p.nkv, p.D, h, false, b, lane);
  }
  // q as the other paths hand it to attention: rounded to bf16 (they write it back into the row)
  if (h < p.nq) {
    for (int k = lane; k < p.D; k += 32) b[k] = round_bf(b[k]);
  }
}

// DL consecutive floats of shared memory in one vector access (16-byte aligned for DL >= 4), so a
// warp's lanes touch consecutive words without bank conflicts.
template <int DL>
__device__ __forceinline__ void lds_dl(const float* src, float (&f)[DL]) {
  if (DL >= 4) {
#pragma unroll
    for (int k = 0; k < DL; k += 4) {
      const float4 v = *reinterpret_cast<const float4*>(src + k);
      f[k] = v.x;
      f[k + 1] = v.y;
      f[k + 2] = v.z;
      f[k + 3] = v.w;
    }
  } else if (DL == 2) {
    const float2 v = *reinterpret_cast<const float2*>(src);
    f[0] = v.x;
    f[1] = v.y;
  } else {
    f[0] = src[0];
  }
}
template <int DL>
__device__ __forceinline__ void sts_dl(float* dst, const float (&f)[DL]) {
  if (DL >= 4) {
#pragma unroll
    for (int k = 0; k < DL; k += 4) *reinterpret_cast<float4*>(dst + k) = make_float4(f[k], f[k + 1], f[k + 2], f[k + 3]);
  } else if (DL == 2) {
    *reinterpret_cast<float2*>(dst) = make_float2(f[0], f[1]);
  } else {
    dst[0] = f[0];
  }
}

// How the attention phase cuts the context: items (kv head, chunk) of chunk_len keys, at least
// MIN_CHUNK_KEYS a chunk, at most max_chunks a head. The same in every layer of a launch: worked
// out once (plan_chunking) and kept in shared memory with this sequence's block table: divisions in
// every layer cost ~1% of a Qwen3-0.6B step.
struct Chunking {
  int ctx, lo, chunks, chunk_len, items;
  int group;        // query heads a kv head
  const int* bt;    // this sequence's block table
};
// Token t's plan (each token of a launch is the next token of its own sequence).
__device__ __forceinline__ Chunking plan_chunking(const Params& p, int t) {
  Chunking c;
  c.ctx = p.positions[t] + 1;
  c.lo = p.window > 0 ? max(0, c.ctx - p.window) : 0;
  const int n = c.ctx - c.lo;
  const int chunks = min(p.max_chunks, max(1, (n + MIN_CHUNK_KEYS - 1) / MIN_CHUNK_KEYS));
  c.chunk_len = (n + chunks - 1) / chunks;
  c.chunks = (n + c.chunk_len - 1) / c.chunk_len;
  c.items = p.nkv * c.chunks;
  c.group = p.nq / p.nkv;
  c.bt = p.block_tables + (size_t)p.token_seq[t] * p.bt_stride;
  return c;
}

// The cache row of key j: its block from the table, its place in the block (the host launches the
// kernel for power-of-two block sizes only).
__device__ __forceinline__ int key_row(const Params& p, const Chunking& ch, int j) {
  return (__ldg(ch.bt + (j >> p.block_shift)) << p.block_shift) | (j & ((1 << p.block_shift) - 1));
}

// Layer l's older keys and values for this block's attention items, and the small per-layer
// vectors the attention reads, prefetched into L2 by a warp of their own (the block's last): the
// consumers set attention_layer to l where the prefetch is wanted (see its use), and go on. In the
// consumer warps, the prefetch's block-table loads held up the QKV tiles of warps 1-2, and the
// QKV epilogue waited for them.
__shared__ int attention_layer;
template <int DL, int TOK>
__device__ void prefetch_keys(const Params& p, const LayerPtrs* layers, const Chunking* plans) {
  const int lane = threadIdx.x & 31;
  const size_t row_bytes = (size_t)p.D * 2;
  for (int l = 0; l < p.num_layers; l++) {
    while (*(volatile int*)&attention_layer < l) __nanosleep(64);
    __threadfence_block();  // the layer table and chunk plan the consumers wrote before the flag
    const LayerPtrs& L = layers[l];
    int items = 0;
#pragma unroll
    for (int t = 0; t < TOK; t++) items += plans[t].items;
    for (int it = blockIdx.x; it < items; it += gridDim.x) {
      int t = 0, item = it;
      while (t + 1 < TOK && item >= plans[t].items) item -= plans[t++].items;
      const Chunking& ch = plans[t];
      const int g = item / ch.chunks, c = item % ch.chunks;
      const int start = ch.lo + c * ch.chunk_len, end = min(ch.ctx - 1, start + ch.chunk_len);
      // a key a lane, its k and v rows (128-byte lines)
      for (int j = start + lane; j < end; j += 32) {
        const size_t off = ((size_t)key_row(p, ch, j) * p.nkv + g) * p.D;
        for (size_t b = 0; b < row_bytes; b += 128) {
          prefetch_l2(reinterpret_cast<const char*>(L.k_cache + off) + b);
          prefetch_l2(reinterpret_cast<const char*>(L.v_cache + off) + b);
        }
      }
      if (lane * 64 < p.D * 2) {
        const int o = lane * 32;  // bf16 elements of a 64-byte piece
        if (L.q_norm) prefetch_l2(L.q_norm + o);
        if (L.k_norm) prefetch_l2(L.k_norm + o);
        prefetch_l2(p.inv_freq + o / 2);
      }
    }
  }
}

// Consumer thread 0: layer l's prefetch may start.
__device__ __forceinline__ void start_prefetch(int l) {
  if (threadIdx.x == 0) {
    __threadfence_block();
    *(volatile int*)&attention_layer = l;
  }
}

// Kv head g's rows of the QKV projection as the attention phase reads them: its G query heads and
// then (heads = G + 2) its k and v heads, polled from the tagged words until they carry `tag`, into
// dst as floats ([heads][D]: qs, then kb and vb). A thread polls its words one after another
// (groups of 1-2 heads: one word a thread); loading them together spilled registers in the
// entries of larger groups.
__device__ __forceinline__ void fetch_head_rows(const Params& p, const unsigned long long* words, int g, int G, int heads,
                                                unsigned tag, float* dst) {
  const int D = p.D, n = heads * D;
  for (int i = threadIdx.x; i < n; i += CONSUMERS) {
    const int hs = i / D;
    const int src = (hs < G ? g * G + hs : hs == G ? p.nq + g : p.nq + p.nkv + g) * D + (i - hs * D);
    unsigned long long w;
    do {
      w = load_word(words + src);
    } while ((unsigned)(w >> 32) != tag);
    dst[i] = __uint_as_float((unsigned)w);
  }
}

// Output i of the attention (bf16-rounded, as the other paths hand it over): a tagged word in q's
// place, or (-DBARISTA_ATTENTION_BARRIER, a measurement switch) the bf16 buffer read after a
// grid barrier.
__device__ __forceinline__ void store_attention(const Params& p, int t, int i, float v, unsigned tag) {
#ifdef BARISTA_ATTENTION_BARRIER
  p.attention[(size_t)t * p.nq * p.D + i] = to_bf(v);
#else
  store_word(p.qkv_words + (size_t)t * (p.nq + 2 * p.nkv) * p.D + i, round_bf(v), tag);
#endif
}

// The chunks of kv head g merged into its query heads' attention outputs, by the block that counted
// the last chunk. Each (head, dim) is split over `parts` adjacent lanes (as many as the consumer
// threads allow), each merging its chunks in batches of 8 with all their loads in flight, then the
// lanes' results combined by shuffles. (A (head, dim) merging its chunks one after another: the
// block that barrier 2 waited for spent 2.1 us merging, against 1.65 since; docs/benchmarks.md.)
__device__ __forceinline__ void merge_chunks(const Params& p, int t, int g, int G, int chunks, unsigned tag) {
  const int D = p.D, outputs = G * D;
  int parts = 1;
  while (parts < 32 && outputs * parts * 2 <= CONSUMERS) parts *= 2;
  const int part = threadIdx.x & (parts - 1);
  for (int base = 0; base < outputs * parts; base += CONSUMERS) {
    const int idx = base + (int)threadIdx.x;
    const bool active = idx < outputs * parts;  // a uniform count of parts: partners are active together
    const int hd = idx / parts, h = hd / D, d = hd - h * D;
    const size_t row0 = ((size_t)t * p.nq + g * G + h) * p.max_chunks;
    float mx = -INFINITY, sum = 0.f, a = 0.f;
    for (int k0 = part; active && k0 < chunks; k0 += 8 * parts) {
      float mk[8], sk[8], ak[8];
#pragma unroll
      for (int i = 0; i < 8; i++) {
        const int k = k0 + i * parts;
        mk[i] = -INFINITY;
        sk[i] = ak[i] = 0.f;
        if (k < chunks) {
          mk[i] = __ldcg(p.part_ml + (row0 + k) * 2);
          sk[i] = __ldcg(p.part_ml + (row0 + k) * 2 + 1);
          ak[i] = __ldcg(p.part_acc + (row0 + k) * D + d);
        }
      }
      float mn = mx;
#pragma unroll
      for (int i = 0; i < 8; i++) mn = fmaxf(mn, mk[i]);
      const float corr = mx == -INFINITY ? 0.f : __expf(mx - mn);
      sum *= corr;
      a *= corr;
#pragma unroll
      for (int i = 0; i < 8; i++) {
        const float f = mk[i] == -INFINITY ? 0.f : __expf(mk[i] - mn);
        sum = fmaf(sk[i], f, sum);
        a = fmaf(ak[i], f, a);
      }
      mx = mn;
    }
    for (int o = 1; o < parts; o <<= 1) {
      const float m2 = __shfl_xor_sync(0xffffffffu, mx, o), s2 = __shfl_xor_sync(0xffffffffu, sum, o),
                  a2 = __shfl_xor_sync(0xffffffffu, a, o);
      const float mn = fmaxf(mx, m2);
      const float f1 = mx == -INFINITY ? 0.f : __expf(mx - mn), f2 = m2 == -INFINITY ? 0.f : __expf(m2 - mn);
      sum = sum * f1 + s2 * f2;
      a = a * f1 + a2 * f2;
      mx = mn;
    }
    if (active && part == 0) store_attention(p, t, (g * G + h) * D + d, a / sum, tag);
  }
}

// The attention phase. Lane l of a warp holds dims [l DL, l DL + DL) of a head (head dims up to 32 DL).
// Shared memory (scratch): q heads [G][D], the k head's buffer [D], then per warp [G][D] partial
// outputs and [G][2] (max, sum), then the heads' staged inputs [2 D] (HeadInputs), then [G][2]
// the merged (max, sum) of each head.
template <int DL, int MAX_GROUP, int TOK>
__device__ void attend(const Params& p, const LayerPtrs& L, int layer, const Chunking* plans, float* scratch, int* flag,
                       unsigned long long* stamps) {
  // keys a warp loads at once; with DL 4 (head dim 128), 2 leave the kernel without register spills
  // (4 spilled 24 bytes with 2 query heads a kv head and took 0.8% longer a Qwen3-0.6B step)
  constexpr int KEYS = DL >= 8 ? (MAX_GROUP <= 2 ? 2 : 1) : DL >= 4 ? 2 : 4;
  constexpr bool STAGED = MAX_GROUP <= 2;  // see prepare
  const int warp = threadIdx.x >> 5, lane = threadIdx.x & 31;
  const int D = p.D, G = plans[0].group;
  int items = 0;  // of every token: token 0's items, then token 1's, ...
#pragma unroll
  for (int t = 0; t < TOK; t++) items += plans[t].items;
  float* qs = scratch;             // [G][D]
  float* kb = qs + G * D;          // [D] the newest key, after norm and RoPE
  float* vb = kb + D;              // [D] the newest value
  float* wacc = vb + D;            // [CONSUMER_WARPS][G][D]
  float* wml = wacc + CONSUMER_WARPS * G * D;  // [CONSUMER_WARPS][G][2]
  float* staged = wml + CONSUMER_WARPS * G * 2;  // [2 D] the heads' staged inputs (head_inputs)
  float* heads_ml = staged + 2 * D;              // [G][2] the merged warps' (max, sum) of each head
  const bool d_ok = lane * DL < D;
  const unsigned tag = attention_tag(launch_epoch, layer);
  // Trace stamps 16-21 of the block's first item, in builds with BARISTA_TRACE_ATTENTION defined
  // only: on in every build, they cost 3% of a Qwen3-0.6B step (1.044-1.049 vs 1.013-1.020 ms).
  // A block without an item, or a build without them, leaves them all equal.
  auto stamp = [&](int item, int point) {
#ifdef BARISTA_TRACE_ATTENTION
    if (stamps && threadIdx.x == 0 && item == (int)blockIdx.x) stamps[point] = clock64();
#endif
  };
  if (stamps && threadIdx.x == 0) {
    for (int point = ATTENTION_POINTS; point < ATTENTION_POINTS + 6; point++) stamps[point] = clock64();
  }

  for (int it = blockIdx.x; it < items; it += gridDim.x) {
    int t = 0, item = it;
    while (t + 1 < TOK && item >= plans[t].items) item -= plans[t++].items;
    const Chunking& ch = plans[t];
    const int ctx = ch.ctx, lo = ch.lo, chunks = ch.chunks, chunk_len = ch.chunk_len;
    const int slot = p.slots[t];
    const int g = item / chunks, c = item % chunks;
    const int start = lo + c * chunk_len, end = min(ctx, start + chunk_len);
    const int newest = ctx - 1;
    // KEYS keys of this warp per round, their loads issued together; `skip` is left zero
    auto load_round = [&](int j0, float (&kf)[KEYS][DL], float (&vf)[KEYS][DL], int skip) {
#pragma unroll
      for (int k = 0; k < KEYS; k++) {
        const int j = j0 + k * CONSUMER_WARPS;
        if (d_ok && j < end && j != skip) {
          const size_t off = ((size_t)key_row(p, ch, j) * p.nkv + g) * D + lane * DL;
          load_dl<DL>(L.k_cache + off, kf[k]);
          load_dl<DL>(L.v_cache + off, vf[k]);
        } else {
#pragma unroll
          for (int i = 0; i < DL; i++) kf[k][i] = vf[k][i] = 0.f;
        }
      }
    };
    float kf[KEYS][DL], vf[KEYS][DL];
    const int j0 = start + warp;
    // the first round's older keys stream in while the heads are prepared
    load_round(j0, kf, vf, newest);
    if (STAGED) stage_head_inputs(p, L, head_inputs(staged, D), t);
    // this kv head's q rows, and the chunk with the newest key its k and v rows, into qs, kb, vb
    fetch_head_rows(p, p.qkv_words + (size_t)t * (p.nq + 2 * p.nkv) * D, g, G, end == ctx ? G + 2 : G,
                    qkv_tag(launch_epoch, layer), qs);
    consumer_sync();
    stamp(it, ATTENTION_POINTS);      // this kv head's q, k and v rows are in
    if (WHATIF_NO_PREP) {
    } else if (warp < G) {
      prepare<STAGED>(p, L, head_inputs(staged, D), t, g * G + warp, qs + warp * D, lane);
    } else if (warp == G && end == ctx) {
      // the newest key: into the cache, and kept in kb for this chunk
      prepare<STAGED>(p, L, head_inputs(staged, D), t, p.nq + g, kb, lane);
    } else if (warp == G + 1 && end == ctx) {
      // the newest value, likewise (as store_v_head: the bf16 projection plus its bias)
      const int vcol = (p.nq + p.nkv + g) * D;
      for (int i = lane; i < D; i += 32) {
        const float v = vb[i];  // bf16-exact
        const bf16 vv = L.qkv_bias ? to_bf(v + to_f(L.qkv_bias[vcol + i])) : to_bf(v);
        if (slot >= 0) L.v_cache[((size_t)slot * p.nkv + g) * D + i] = vv;
        vb[i] = to_f(vv);
      }
    }
    consumer_sync();
    stamp(it, ATTENTION_POINTS + 1);  // q, the newest k and v prepared
#pragma unroll
    for (int k = 0; k < KEYS; k++) {
      if (j0 + k * CONSUMER_WARPS == newest && d_ok) {
#pragma unroll
        for (int i = 0; i < DL; i++) {
          kf[k][i] = round_bf(kb[lane * DL + i]);  // as the cache holds it
          vf[k][i] = vb[lane * DL + i];
        }
      }
    }

    // q stays in shared memory (registers go to the running sums)
    const float* qlane = qs + lane * DL;
    float m[MAX_GROUP], l[MAX_GROUP], acc[MAX_GROUP][DL];
#pragma unroll
    for (int h = 0; h < MAX_GROUP; h++) {
      m[h] = -INFINITY;
      l[h] = 0.f;
#pragma unroll
      for (int i = 0; i < DL; i++) acc[h][i] = 0.f;
    }
    if (WHATIF_NO_DOTS && j0 < end) {
      for (int h = 0; h < MAX_GROUP; h++) {
        m[h] = 0.f;
        l[h] = 1.f;
      }
    }
    for (int jr = WHATIF_NO_DOTS ? end : j0; jr < end; jr += KEYS * CONSUMER_WARPS) {
      if (jr != j0) load_round(jr, kf, vf, -1);
#pragma unroll
      for (int k = 0; k < KEYS; k++) {
        if (jr + k * CONSUMER_WARPS >= end) break;  // uniform over the warp
#pragma unroll
        for (int h = 0; h < MAX_GROUP; h++) {
          if (h >= G) break;
          float s = 0.f;
          if (d_ok) {
            float qv[DL];
            lds_dl<DL>(qlane + h * D, qv);
#pragma unroll
            for (int i = 0; i < DL; i++) s = fmaf(qv[i], kf[k][i], s);
          }
          s = warp_sum(s) * p.scale;
          const float mn = fmaxf(m[h], s);
          const float corr = __expf(m[h] - mn), e = __expf(s - mn);
          l[h] = l[h] * corr + e;
#pragma unroll
          for (int i = 0; i < DL; i++) acc[h][i] = fmaf(acc[h][i], corr, e * vf[k][i]);
          m[h] = mn;
        }
      }
    }
    for (int h = 0; h < G; h++) {
      if (d_ok) sts_dl<DL>(wacc + (warp * G + h) * D + lane * DL, acc[h]);
      if (lane == 0) {
        wml[(warp * G + h) * 2] = m[h];
        wml[(warp * G + h) * 2 + 1] = l[h];
      }
    }
    consumer_sync();
    stamp(it, ATTENTION_POINTS + 2);  // every warp's keys done
    // merge the warps, in two steps: warp h (of the first G) turns head h's (max, sum) pairs into
    // weights, a lane a warp: exp(m_w - max) in place of m_w, the head's max and sum in heads_ml;
    // then each thread one (head, dim), a sum of 16 weighted values. (Each (head, dim) working out
    // the weights itself, a chain of 16 exponentials, took 1.36 us of a Qwen3-0.6B layer.)
    if (warp < G) {
      const int h = warp;
      const float mw = lane < CONSUMER_WARPS ? wml[(lane * G + h) * 2] : -INFINITY;
      float mx = mw;
#pragma unroll
      for (int o = 16; o > 0; o >>= 1) mx = fmaxf(mx, __shfl_xor_sync(0xffffffffu, mx, o));
      const float f = mw == -INFINITY ? 0.f : __expf(mw - mx);  // -inf: a warp that saw no key
      const float sum = warp_sum(lane < CONSUMER_WARPS ? wml[(lane * G + h) * 2 + 1] * f : 0.f);
      if (lane < CONSUMER_WARPS) wml[(lane * G + h) * 2] = f;
      if (lane == 0) {
        heads_ml[h * 2] = mx;
        heads_ml[h * 2 + 1] = sum;
      }
    }
    consumer_sync();
    for (int idx = threadIdx.x; idx < G * D; idx += CONSUMERS) {
      const int h = idx / D, d = idx % D;
      const float mx = heads_ml[h * 2], sum = heads_ml[h * 2 + 1];
      float a = 0.f;
#pragma unroll
      for (int w = 0; w < CONSUMER_WARPS; w++) a = fmaf(wml[(w * G + h) * 2], wacc[(w * G + h) * D + d], a);
      const int qh = g * G + h;
      if (chunks == 1 || WHATIF_NO_MERGE) {
        if (!WHATIF_NO_MERGE || c == 0) store_attention(p, t, qh * D + d, a / sum, tag);
      } else {
        const size_t row = ((size_t)t * p.nq + qh) * p.max_chunks + c;
        p.part_acc[row * D + d] = a;
        if (d == 0) {
          p.part_ml[row * 2] = mx;
          p.part_ml[row * 2 + 1] = sum;
        }
      }
    }
    stamp(it, ATTENTION_POINTS + 3);  // the warps merged, partials stored
    if (chunks > 1 && !WHATIF_NO_MERGE) {
      // the block that finishes a kv head's last chunk merges its chunks: one acquire-release add
      // after the block's partials are written (the consumer barrier orders them before it)
      consumer_sync();
      if (threadIdx.x == 0) {
        int old;
        int* count = p.counts + t * p.nkv + g;
        asm volatile("atom.add.acq_rel.gpu.global.s32 %0, [%1], 1;" : "=r"(old) : "l"(count) : "memory");
        const bool last = old == chunks - 1;
        if (last) *count = 0;
        *flag = last;
      }
      consumer_sync();
      stamp(it, ATTENTION_POINTS + 4);  // partials written and counted
      if (*flag) merge_chunks(p, t, g, G, chunks, tag);
    }
    consumer_sync();  // the scratch is free for the next item
    stamp(it, ATTENTION_POINTS + 5);  // merged (the head's last block), the item done
  }
}

// TOK tokens a launch, each the next token of its own sequence (token t's ids, positions, slots
// and token_seq entries are [t]; its residual, QKV words and activations rows t).
template <int DL, int MAX_GROUP, int TOK>
__device__ void decode_layers(const Params& p) {
  extern __shared__ __align__(128) unsigned char smem_raw[];
  __shared__ __align__(8) uint64_t full[MAX_STAGES], empty[MAX_STAGES];
  __shared__ float sums[MAX_PHASE_SUMS];
  __shared__ float sum_scratch[CONSUMER_WARPS];
  __shared__ int flag;
  __shared__ LayerPtrs layer_ptrs[MAX_LAYERS];
  __shared__ float own_residual[TOK][MAX_OWN_ROWS];  // this block's rows of each token's residual stream
  __shared__ PhaseShare shares[PHASES];
  __shared__ WarpTask warp_tasks[PHASES][CONSUMER_WARPS];
  __shared__ Chunking chunk_plan[TOK];  // written after pdl_wait (they read the positions), read after a consumer barrier
  unsigned char* ring = smem_raw;
  float* scratch = reinterpret_cast<float*>(smem_raw + (size_t)p.stages * SLOT_BYTES);  // x staging or attention
  bf16* xs = reinterpret_cast<bf16*>(scratch);  // token t's input at xs + t xw
  const int xw = max(p.hidden, max(p.nq * p.D, p.inter));

  if (threadIdx.x < PHASES) shares[threadIdx.x] = phase_share(p, threadIdx.x);
  if (threadIdx.x < PHASES * CONSUMER_WARPS) {
    warp_tasks[threadIdx.x / CONSUMER_WARPS][threadIdx.x % CONSUMER_WARPS] =
        warp_task(p, threadIdx.x / CONSUMER_WARPS, threadIdx.x % CONSUMER_WARPS);
  }
  if (threadIdx.x == 0) {
    stream_quiet = 0;
    lm_stream = 0;
    lm_best = 0;
    attention_layer = -1;
  }
  if (threadIdx.x == 0) {
    for (int s = 0; s < p.stages; s++) {
      mbar_init(full + s, 1);
      mbar_init(empty + s, CONSUMER_WARPS);
    }
    asm volatile("fence.mbarrier_init.release.cluster;" ::: "memory");
  }
  __syncthreads();

  if (threadIdx.x >= CONSUMERS) {
    // weights do not depend on the kernel before: no pdl_wait (the prefetch warp waits for the
    // consumers' flag, set after theirs)
    if (threadIdx.x == PRODUCER) produce(p, shares, ring, full, empty);
    if (threadIdx.x >= PREFETCHER) prefetch_keys<DL, TOK>(p, layer_ptrs, chunk_plan);
    return;
  }
  for (int i = threadIdx.x; i < p.num_layers * (int)(sizeof(LayerPtrs) / 8); i += CONSUMERS) {
    reinterpret_cast<unsigned long long*>(layer_ptrs)[i] = reinterpret_cast<const unsigned long long*>(p.layers)[i];
  }
  consumer_sync();
  // a norm's weights staged into every token's input (stage_norm overwrites them), and the norms
  auto stage_weights = [&](const bf16* w) {
#pragma unroll
    for (int t = 0; t < TOK; t++) stage_norm_weights(xs + t * xw, w, p.hidden);
  };
  auto norm_residual = [&]() {
#pragma unroll
    for (int t = 0; t < TOK; t++) stage_norm(xs + t * xw, p.residual + (size_t)t * p.hidden, p.hidden, p.eps, sum_scratch);
  };
  stage_weights(layer_ptrs[0].input_norm);  // weights: no need to wait for the kernel before
  pdl_wait();
  {
    const int2 own = block_rows(p.hidden);
#pragma unroll
    for (int t = 0; t < TOK; t++) {
      const bf16* token_row = p.embedding + (size_t)p.ids[t] * p.hidden;
      for (int o = threadIdx.x; o < own.y - own.x; o += CONSUMERS) own_residual[t][o] = to_f(token_row[own.x + o]);
    }
  }
  // after pdl_wait (the sampler of the step before reads it); the grid barriers before the LM
  // phase order the zero before every block's atomicMax
  if (p.greedy && blockIdx.x == 0 && threadIdx.x == 0) *p.greedy = 0;
  if (threadIdx.x == 0) {  // layer 0's input norm ends with a consumer barrier
    for (int t = 0; t < TOK; t++) chunk_plan[t] = plan_chunking(p, t);
    launch_epoch = __ldcg(epoch_word(p));
  }
  RingPos pos;
  unsigned long long starved = 0;
  unsigned long long* tr = p.trace ? p.trace + (size_t)blockIdx.x * (p.num_layers * TRACE_POINTS + TRACE_EXTRA) : nullptr;
  if (tr && threadIdx.x == 0) {
    tr[p.num_layers * TRACE_POINTS + 2] = global_ns();
    tr[p.num_layers * TRACE_POINTS + 4] = clock64();
  }
  auto mark = [&](int l, int point) {
    if (tr && threadIdx.x == 0) tr[l * TRACE_POINTS + point] = clock64();
  };
  for (int l = 0; l < p.num_layers; l++) {
    const LayerPtrs& L = layer_ptrs[l];
    const bool last = l == p.num_layers - 1;
    mark(l, 0);
    if (l == 0) {
#pragma unroll
      for (int t = 0; t < TOK; t++) {
        stage_norm(xs + t * xw, p.embedding + (size_t)p.ids[t] * p.hidden, p.hidden, p.eps, sum_scratch);
      }
    } else {
      norm_residual();
    }
    mark(l, 10);
    // what the attention phase reads, on its way to L2: with a gated stream during the QKV tiles
    // (issued after the heads' ready marks, its burst delayed the marks and waits: Qwen3-0.6B
    // 0.978 vs 0.970 ms a step); else after the marks (early, Llama-3.1-8B took 5.904 vs 5.805 ms)
    if (p.stream_gated) start_prefetch(l);
    consume<QKV, TOK>(p, matrix(p, L, QKV), shares[QKV], warp_tasks[QKV][threadIdx.x >> 5], qkv_tag(launch_epoch, l), xs, xw, ring,
                      full, empty, sums, pos, starved, tr ? tr + l * TRACE_POINTS + 11 : nullptr, own_residual);
    mark(l, 1);
    if (threadIdx.x == 0) *(volatile int*)&stream_quiet = 0;  // the stream may run around attention
    if (!p.stream_gated) start_prefetch(l);
    mark(l, 2);
    attend<DL, MAX_GROUP, TOK>(p, L, l, chunk_plan, scratch, &flag, tr ? tr + l * TRACE_POINTS : nullptr);
    mark(l, 3);
#ifdef BARISTA_ATTENTION_BARRIER
    grid_barrier<CONSUMERS>(p.barrier);
    mark(l, 4);
#pragma unroll
    for (int t = 0; t < TOK; t++) stage_copy(xs + t * xw, p.attention + (size_t)t * p.nq * p.D, p.nq * p.D);
#else
#pragma unroll
    for (int t = 0; t < TOK; t++) {
      stage_attention(xs + t * xw, p.qkv_words + (size_t)t * (p.nq + 2 * p.nkv) * p.D, p.nq * p.D, attention_tag(launch_epoch, l));
    }
    mark(l, 4);
#endif
    consume<O, TOK>(p, matrix(p, L, O), shares[O], warp_tasks[O][threadIdx.x >> 5], 0, xs, xw, ring, full, empty, sums, pos, starved,
                    nullptr, own_residual);
    mark(l, 5);
    stage_weights(L.post_norm);  // lands during the barrier
    grid_barrier<CONSUMERS>(p.barrier);
    mark(l, 6);
    if (last && blockIdx.x == 0 && threadIdx.x == 0) *epoch_word(p) = launch_epoch + 1;  // every block has read it
    norm_residual();
    consume<GATEUP, TOK>(p, matrix(p, L, GATEUP), shares[GATEUP], warp_tasks[GATEUP][threadIdx.x >> 5], 0, xs, xw, ring, full, empty,
                         sums, pos, starved, nullptr, own_residual);
    mark(l, 7);
    grid_barrier<CONSUMERS>(p.barrier);
    mark(l, 8);
#pragma unroll
    for (int t = 0; t < TOK; t++) stage_copy(xs + t * xw, p.act + (size_t)t * p.inter, p.inter);
    consume<DOWN, TOK>(p, matrix(p, L, DOWN), shares[DOWN], warp_tasks[DOWN][threadIdx.x >> 5], 0, xs, xw, ring, full, empty, sums,
                       pos, starved, nullptr, own_residual);
    mark(l, 9);
    if (!last) {
      stage_weights(layer_ptrs[l + 1].input_norm);
      grid_barrier<CONSUMERS>(p.barrier);
    }
  }
  if (TOK == 1 && p.lm_head) {  // the host passes no LM head to multi-token launches
    // the final norm of the whole residual, then this block's rows of the logits
    stage_norm_weights(xs, p.final_norm, p.hidden);
    grid_barrier<CONSUMERS>(p.barrier);
    stage_norm(xs, p.residual, p.hidden, p.eps, sum_scratch);
    if (threadIdx.x == 0) *(volatile int*)&lm_stream = 1;
    consume<LM, TOK>(p, matrix(p, LayerPtrs{}, LM), shares[LM], warp_tasks[LM][threadIdx.x >> 5], 0, xs, xw, ring, full, empty, sums,
                     pos, starved, nullptr, own_residual);
  }
  if (tr && threadIdx.x == 0) {
    tr[p.num_layers * TRACE_POINTS + 1] = starved;
    tr[p.num_layers * TRACE_POINTS + 3] = global_ns();
    tr[p.num_layers * TRACE_POINTS + 5] = clock64();
  }
}
}  // namespace

// decode_layers_d{32 DL}_g{G}: one token; head dims up to 32 DL (multiples of DL), at most G query heads per
// kv head. Grid: one block per multiprocessor (all resident: the barriers need it), block THREADS
// (576), dynamic shared memory stages * SLOT_BYTES plus the larger of the staged inputs and the
// attention scratch. The PTX for GPUs before sm_90 has the entries but traps: the runner takes this
// path on sm_90 and newer only.
#define LAYERS_ENTRY_T(DL, G, T, NAME) \
  extern "C" __global__ void __launch_bounds__(THREADS, 1) NAME(const __grid_constant__ Params p) { decode_layers<DL, G, T>(p); }
#else
#define LAYERS_ENTRY_T(DL, G, T, NAME) \
  extern "C" __global__ void NAME(const __grid_constant__ Params p) { __trap(); }
#endif
#define LAYERS_ENTRY(DL, G, NAME) LAYERS_ENTRY_T(DL, G, 1, NAME)
#define LAYERS_ENTRIES(DL, DP)                     \
  LAYERS_ENTRY(DL, 1, decode_layers_d##DP##_g1)     \
  LAYERS_ENTRY(DL, 2, decode_layers_d##DP##_g2)     \
  LAYERS_ENTRY(DL, 4, decode_layers_d##DP##_g4)     \
  LAYERS_ENTRY(DL, 8, decode_layers_d##DP##_g8)
LAYERS_ENTRIES(1, 32)
LAYERS_ENTRIES(2, 64)
LAYERS_ENTRIES(4, 128)
LAYERS_ENTRIES(8, 256)
// decode_layers_d{32 DL}_g{G}_t2: two one-token sequences a launch, for head dims 65-128 with 2-4
// query heads a kv head (the benchmark models) and head dims up to 32 with 1-4 (the tiny reference
// models, which check them); a few entries, as each adds ~140 KB to the image. (Entries for 4
// tokens were measured slower than cuBLAS: the blocks' items then cover 4 times the keys of one
// token's, as each token gets a quarter of the chunks; docs/benchmarks.md, session 11.)
LAYERS_ENTRY_T(1, 1, 2, decode_layers_d32_g1_t2)
LAYERS_ENTRY_T(1, 2, 2, decode_layers_d32_g2_t2)
LAYERS_ENTRY_T(1, 4, 2, decode_layers_d32_g4_t2)
LAYERS_ENTRY_T(4, 2, 2, decode_layers_d128_g2_t2)
LAYERS_ENTRY_T(4, 4, 2, decode_layers_d128_g4_t2)
