// cluster_stream: how fast a few multiprocessors can stream weights out of L2 and through the
// projection tiles' dot products, the premise of a decode design that is not the persistent
// kernel's (docs/benchmarks.md, session 11): one cluster of 16 blocks computes every phase of a
// layer and exchanges through distributed shared memory, while the other multiprocessors only
// bring the next weights into L2. Each test streams a buffer through a ring of shared-memory slots
// with bulk asynchronous copies, as decode_persistent.cu's producer does, many passes over it:
//   copy      the consumers release each slot at once: the bytes a block can pull;
//   dot       the consumers multiply each tile as the kernel's tiles do (a 1024-wide bf16 row a
//             warp, 16 rows a 32 KiB tile, against a bf16 input in shared memory);
// over 1, 16 (as one cluster, and as plain blocks) and all multiprocessors, from a buffer that
// fits L2 (after a warm-up pass) and from one that does not (HBM); and 16 blocks from L2 while
// the other multiprocessors stream from HBM with a kernel of their own (the L2 fill a design like
// that needs). Built by cuda/gpu/prepare.sh when nvcc is present; run by `device-run.sh clusters`.
#include <cuda_runtime.h>

#include <cstdio>
#include <cstdlib>

#include "cuda_check.cuh"
#include "persistent_sync.cuh"

constexpr int CONSUMERS = 512;
constexpr int THREADS = CONSUMERS + 32;
constexpr int SLOT_BYTES = 32 << 10;
constexpr int STAGES = 6;
constexpr int IN = 1024;  // a row's length (Qwen3-0.6B's hidden size)
constexpr int RING_BYTES = STAGES * SLOT_BYTES;

struct Args {
  const char* buf;     // the weights
  size_t bytes;        // of the buffer; each block streams its share, `passes` times
  int passes;
  float* sink;         // per block: its last sums (keeps the dot products from being optimised away)
  volatile int* stop;  // the background streamer's stop flag (host-mapped)
};

__device__ __forceinline__ float bf_lo(unsigned w) { return __uint_as_float(w << 16); }
__device__ __forceinline__ float bf_hi(unsigned w) { return __uint_as_float(w & 0xffff0000u); }

// DOT false: consumers release slots at once; true: they take a row of each tile a warp.
template <bool DOT>
__global__ void __launch_bounds__(THREADS, 1) stream_tiles(const Args a) {
  extern __shared__ __align__(128) unsigned char ring[];
  __shared__ __align__(8) uint64_t full[STAGES], empty[STAGES];
  __shared__ __align__(16) unsigned short x[IN];
  if (threadIdx.x == 0) {
    for (int s = 0; s < STAGES; s++) {
      mbar_init(full + s, 1);
      mbar_init(empty + s, CONSUMERS / 32);
    }
    asm volatile("fence.mbarrier_init.release.cluster;" ::: "memory");
  }
  for (int i = threadIdx.x; i < IN; i += THREADS) x[i] = (unsigned short)(0x3f80 + (i & 7));  // bf16 ~1.0
  __syncthreads();
  const size_t share = a.bytes / gridDim.x / SLOT_BYTES * SLOT_BYTES;
  const char* src = a.buf + share * blockIdx.x;
  const long long tiles = (long long)(share / SLOT_BYTES) * a.passes;
  if (threadIdx.x == CONSUMERS) {  // the producer
    for (long long t = 0; t < tiles; t++) {
      const int s = (int)(t % STAGES);
      const unsigned round = (unsigned)(t / STAGES);
      if (round > 0) mbar_wait_sleeping(empty + s, (round - 1) & 1);
      mbar_expect_tx(full + s, SLOT_BYTES);
      bulk_load(ring + s * SLOT_BYTES, src + (size_t)(t % (share / SLOT_BYTES)) * SLOT_BYTES, SLOT_BYTES, full + s);
    }
    return;
  }
  if (threadIdx.x >= CONSUMERS) return;
  const int warp = threadIdx.x >> 5, lane = threadIdx.x & 31;
  float acc = 0.f;
  for (long long t = 0; t < tiles; t++) {
    const int s = (int)(t % STAGES);
    const unsigned round = (unsigned)(t / STAGES);
    mbar_spin(full + s, round & 1);
    if (DOT) {
      const uint4* w4 = reinterpret_cast<const uint4*>(ring + s * SLOT_BYTES + warp * IN * 2);
      const uint4* x4 = reinterpret_cast<const uint4*>(x);
      float r = 0.f;
#pragma unroll
      for (int c = lane; c < IN / 8; c += 32) {
        const uint4 w = w4[c], v = x4[c];
        r = fmaf(bf_lo(w.x), bf_lo(v.x), r);
        r = fmaf(bf_hi(w.x), bf_hi(v.x), r);
        r = fmaf(bf_lo(w.y), bf_lo(v.y), r);
        r = fmaf(bf_hi(w.y), bf_hi(v.y), r);
        r = fmaf(bf_lo(w.z), bf_lo(v.z), r);
        r = fmaf(bf_hi(w.z), bf_hi(v.z), r);
        r = fmaf(bf_lo(w.w), bf_lo(v.w), r);
        r = fmaf(bf_hi(w.w), bf_hi(v.w), r);
      }
#pragma unroll
      for (int o = 16; o > 0; o >>= 1) r += __shfl_xor_sync(0xffffffffu, r, o);
      acc += r;
    }
    __syncwarp();
    if (lane == 0) mbar_arrive(empty + s);
  }
  if (lane == 0) a.sink[blockIdx.x * 16 + warp] = acc;
}

// The background streamer: bulk copies from HBM through a ring until the host raises stop.
__global__ void __launch_bounds__(THREADS, 1) stream_until_stopped(const Args a) {
  extern __shared__ __align__(128) unsigned char ring[];
  __shared__ __align__(8) uint64_t full[STAGES];
  if (threadIdx.x != 0) return;
  for (int s = 0; s < STAGES; s++) mbar_init(full + s, 1);
  asm volatile("fence.mbarrier_init.release.cluster;" ::: "memory");
  const size_t share = a.bytes / gridDim.x / SLOT_BYTES * SLOT_BYTES;
  const char* src = a.buf + share * blockIdx.x;
  const size_t pieces = share / SLOT_BYTES;
  long long t = 0;
  for (;; t++) {
    const int s = (int)(t % STAGES);
    if (t >= STAGES) {
      mbar_wait_sleeping(full + s, ((t / STAGES) - 1) & 1);  // the copy of tile t - STAGES landed
      if ((t & 63) == 0 && *a.stop) break;
    }
    mbar_expect_tx(full + s, SLOT_BYTES);
    bulk_load(ring + s * SLOT_BYTES, src + (size_t)(t % pieces) * SLOT_BYTES, SLOT_BYTES, full + s);
  }
  // none may be left in flight when the block exits: tiles t - STAGES + 1 .. t - 1
  for (long long u = t - STAGES + 1; u < t; u++) mbar_wait_sleeping(full + (int)(u % STAGES), (u / STAGES) & 1);
}

struct Run {
  Args a;
  int blocks, cluster;  // cluster 0: plain blocks
  bool dot;
  cudaStream_t stream;
};

static void launch(const Run& r) {
  cudaLaunchConfig_t cfg = {};
  cfg.gridDim = dim3(r.blocks);
  cfg.blockDim = dim3(THREADS);
  cfg.dynamicSmemBytes = RING_BYTES;
  cfg.stream = r.stream;
  cudaLaunchAttribute attr;
  if (r.cluster > 0) {
    attr.id = cudaLaunchAttributeClusterDimension;
    attr.val.clusterDim.x = r.cluster;
    attr.val.clusterDim.y = 1;
    attr.val.clusterDim.z = 1;
    cfg.attrs = &attr;
    cfg.numAttrs = 1;
  }
  if (r.dot) {
    CHECK(cudaLaunchKernelEx(&cfg, stream_tiles<true>, r.a));
  } else {
    CHECK(cudaLaunchKernelEx(&cfg, stream_tiles<false>, r.a));
  }
}

// GB/s of the best of 5 launches (after a warm-up launch that also fills L2 where the buffer fits).
static double measure(const Run& r) {
  cudaEvent_t t0, t1;
  CHECK(cudaEventCreate(&t0));
  CHECK(cudaEventCreate(&t1));
  launch(r);
  CHECK(cudaStreamSynchronize(r.stream));
  float best = 1e30f;
  for (int rep = 0; rep < 5; rep++) {
    CHECK(cudaEventRecord(t0, r.stream));
    launch(r);
    CHECK(cudaEventRecord(t1, r.stream));
    CHECK(cudaEventSynchronize(t1));
    float ms;
    CHECK(cudaEventElapsedTime(&ms, t0, t1));
    if (ms < best) best = ms;
  }
  const size_t share = r.a.bytes / r.blocks / SLOT_BYTES * SLOT_BYTES;
  return (double)share * r.blocks * r.a.passes / (best * 1e-3) / 1e9;
}

// Passes over an L2-resident buffer for about 1 GiB a launch.
static int passes_for(size_t bytes, int blocks) {
  const size_t streamed = bytes / blocks / SLOT_BYTES * SLOT_BYTES * blocks;
  return (int)((1ull << 30) / streamed) + 1;
}

int main() {
  cudaDeviceProp prop;
  CHECK(cudaGetDeviceProperties(&prop, 0));
  const int sms = prop.multiProcessorCount;
  std::printf("cluster stream on %s, %d multiprocessors, L2 %d MiB; GB/s, best of 5 launches\n", prop.name, sms,
              prop.l2CacheSize >> 20);
  for (auto k : {stream_tiles<false>, stream_tiles<true>}) {
    CHECK(cudaFuncSetAttribute(k, cudaFuncAttributeMaxDynamicSharedMemorySize, RING_BYTES));
    CHECK(cudaFuncSetAttribute(k, cudaFuncAttributeNonPortableClusterSizeAllowed, 1));
  }
  CHECK(cudaFuncSetAttribute(stream_until_stopped, cudaFuncAttributeMaxDynamicSharedMemorySize, RING_BYTES));
  const size_t big = 2ull << 30, small = 16ull << 20;
  char *hbm = nullptr, *l2 = nullptr, *bg = nullptr;
  CHECK(cudaMalloc(&hbm, big));
  CHECK(cudaMalloc(&bg, big));
  CHECK(cudaMalloc(&l2, small));
  CHECK(cudaMemset(hbm, 0x3f, big));
  CHECK(cudaMemset(bg, 0x3f, big));
  CHECK(cudaMemset(l2, 0x3f, small));
  float* sink = nullptr;
  CHECK(cudaMalloc(&sink, 4096 * 16 * sizeof(float)));
  int* stop = nullptr;
  CHECK(cudaHostAlloc(&stop, sizeof(int), cudaHostAllocMapped));
  cudaStream_t main_stream, side_stream;
  CHECK(cudaStreamCreateWithFlags(&main_stream, cudaStreamNonBlocking));
  CHECK(cudaStreamCreateWithFlags(&side_stream, cudaStreamNonBlocking));

  for (int dot = 0; dot < 2; dot++) {
    const char* what = dot ? "dot" : "copy";
    struct Case {
      const char* name;
      int blocks, cluster;
      bool fits;
    } cases[] = {{"all SMs, HBM", sms, 0, false}, {"all SMs, L2", sms, 0, true}, {"16 blocks, L2", 16, 0, true},
                 {"1 cluster of 16, L2", 16, 16, true}, {"1 cluster of 8, L2", 8, 8, true}, {"1 block, L2", 1, 0, true},
                 {"16 blocks, HBM", 16, 0, false}};
    for (const Case& c : cases) {
      Run r = {{c.fits ? l2 : hbm, c.fits ? small : big, 1, sink, stop}, c.blocks, c.cluster, dot == 1, main_stream};
      if (!c.fits && c.blocks < sms) r.a.bytes = 256ull << 20;
      if (c.fits) r.a.passes = passes_for(r.a.bytes, c.blocks);
      const double gbs = measure(r);
      std::printf("RESULT %s, %s: %.0f GB/s (%.1f a block)\n", what, c.name, gbs, gbs / c.blocks);
    }
    // 16 blocks from L2 while the other multiprocessors stream from HBM
    *stop = 0;
    Args bga = {bg, big, 0, sink, stop};
    cudaLaunchConfig_t cfg = {};
    cfg.gridDim = dim3(sms - 16);
    cfg.blockDim = dim3(THREADS);
    cfg.dynamicSmemBytes = RING_BYTES;
    cfg.stream = side_stream;
    CHECK(cudaLaunchKernelEx(&cfg, stream_until_stopped, bga));
    Run r = {{l2, small, passes_for(small, 16), sink, stop}, 16, 0, dot == 1, main_stream};
    const double gbs = measure(r);
    *stop = 1;
    CHECK(cudaStreamSynchronize(side_stream));
    std::printf("RESULT %s, 16 blocks, L2, beside %d blocks streaming from HBM: %.0f GB/s (%.1f a block)\n", what, sms - 16, gbs,
                gbs / 16);
  }
  return 0;
}
