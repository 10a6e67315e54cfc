// exchange_floor: what the persistent decode kernel's cross-block exchanges cost on this GPU with
// no weights to compute on, the floor under its per-layer chain (docs/benchmarks.md). One block a
// multiprocessor, 16 consumer warps and a producer warp, as decode_persistent.cu; each test is a
// chain of rounds, each round depending on the one before, timed over many rounds:
//   pingpong  two blocks (0 and the last) passing a flag back and forth: two one-way latencies
//             of a release store seen by an acquire load through L2;
//   barrier   the kernel's grid barrier alone (persistent_sync.cuh); `relaxed`: the same arrival,
//             polled with relaxed loads and one acquire fence after the counter flips;
//   vector    each block writes its share of a hidden-sized f32 vector, the grid barrier, then
//             every block reads the whole vector through L2 and sums it (as the residual norms);
//   cg        the same exchange with cooperative groups' grid.sync(), an independent reference;
//   +stream   the same while each block's producer warp streams a large buffer from HBM through a
//             ring of shared-memory slots (as the kernel's weights), to show the interference;
//   cluster   thread-block clusters of C: a cluster barrier and a read of the cluster's values
//             from distributed shared memory, and how many clusters of C fit at once.
// Built by cuda/gpu/prepare.sh when nvcc is present; run by `device-run.sh floor`.
#include <cooperative_groups.h>
#include <cuda_runtime.h>

#include <cstdio>
#include <cstdlib>

#include "cuda_check.cuh"
#include "persistent_sync.cuh"

namespace cg = cooperative_groups;

constexpr int CONSUMERS = 512;
constexpr int THREADS = CONSUMERS + 32;
constexpr int HIDDEN = 1024;  // Qwen3-0.6B's hidden size
constexpr int SLOT_BYTES = 32 << 10;
constexpr int STAGES = 6;
constexpr int RING_BYTES = STAGES * SLOT_BYTES;

struct Args {
  unsigned* barrier;
  float* vec;           // [HIDDEN]
  float* out;           // per block, the last sum (keeps the chain from being optimised away)
  const char* stream;   // the buffer the producers read (null: no streaming)
  size_t stream_bytes;  // per block
  unsigned long long* streamed;  // bytes each producer read
  int rounds;
};

// Sum over the consumer threads (scratch: 16 floats).
__device__ __forceinline__ float block_sum(float v, float* scratch) {
#pragma unroll
  for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
  if ((threadIdx.x & 31) == 0) scratch[threadIdx.x >> 5] = v;
  named_sync<CONSUMERS>();
  float t = 0.f;
#pragma unroll
  for (int w = 0; w < CONSUMERS / 32; w++) t += scratch[w];
  named_sync<CONSUMERS>();
  return t;
}

// The producer warp's lane 0: 32 KiB bulk copies of its part of the buffer into the ring, each
// slot reissued as soon as its copy lands, until the consumers raise `stop`.
__device__ void stream_weights(const Args& a, unsigned char* ring, uint64_t* full, volatile int* stop) {
  const char* src = a.stream + (size_t)blockIdx.x * a.stream_bytes;
  const size_t pieces = a.stream_bytes / SLOT_BYTES;
  size_t next = 0;
  unsigned long long bytes = 0;
  unsigned round = 0;
  for (int s = 0; s < STAGES; s++) {
    mbar_expect_tx(full + s, SLOT_BYTES);
    bulk_load(ring + s * SLOT_BYTES, src + (next++ % pieces) * SLOT_BYTES, SLOT_BYTES, full + s);
  }
  for (;;) {
    for (int s = 0; s < STAGES; s++) {
      mbar_wait_sleeping(full + s, round & 1);
      bytes += SLOT_BYTES;
      if (*stop) {
        // none left in flight: the slots before s were reissued this round, the ones after not yet
        for (int t = 0; t < STAGES; t++) {
          if (t != s) mbar_wait_sleeping(full + t, (t < s ? round + 1 : round) & 1);
        }
        a.streamed[blockIdx.x] = bytes;
        return;
      }
      mbar_expect_tx(full + s, SLOT_BYTES);
      bulk_load(ring + s * SLOT_BYTES, src + (next++ % pieces) * SLOT_BYTES, SLOT_BYTES, full + s);
    }
    round++;
  }
}

// The kernel's barrier with a cheaper wait: relaxed polls, then one fence.
__device__ __forceinline__ void grid_barrier_relaxed_poll(unsigned* bar) {
  named_sync<CONSUMERS>();
  if (threadIdx.x == 0) {
    const unsigned add = blockIdx.x == 0 ? 0x80000000u - (gridDim.x - 1) : 1u;
    unsigned old, now;
    asm volatile("atom.add.release.gpu.global.u32 %0, [%1], %2;" : "=r"(old) : "l"(bar), "r"(add) : "memory");
    do {
      asm volatile("ld.relaxed.gpu.global.u32 %0, [%1];" : "=r"(now) : "l"(bar) : "memory");
    } while (((old ^ now) & 0x80000000u) == 0);
    asm volatile("fence.acq_rel.gpu;" ::: "memory");
  }
  named_sync<CONSUMERS>();
}

template <bool RELAXED>
__device__ __forceinline__ void barrier_of(unsigned* bar) {
  if (RELAXED) {
    grid_barrier_relaxed_poll(bar);
  } else {
    grid_barrier<CONSUMERS>(bar);
  }
}

__global__ void pingpong(unsigned* flags, int rounds) {
  const bool first = blockIdx.x == 0, last = blockIdx.x == gridDim.x - 1;
  if (threadIdx.x != 0 || !(first || last)) return;
  for (unsigned r = 1; r <= (unsigned)rounds; r++) {
    if (first) {
      asm volatile("st.release.gpu.global.u32 [%0], %1;" ::"l"(flags), "r"(r) : "memory");
      while (load_acquire(flags + 32) != r) {
      }
    } else {
      while (load_acquire(flags) != r) {
      }
      asm volatile("st.release.gpu.global.u32 [%0], %1;" ::"l"(flags + 32), "r"(r) : "memory");
    }
  }
}

// VECTOR false: barriers only. true: the residual-like exchange each round.
template <bool VECTOR, bool RELAXED = false>
__global__ void __launch_bounds__(THREADS, 1) grid_chain(const Args a) {
  extern __shared__ __align__(128) unsigned char ring[];
  __shared__ __align__(8) uint64_t full[STAGES];
  __shared__ float scratch[CONSUMERS / 32];
  __shared__ int stop;
  if (threadIdx.x == 0) {
    for (int s = 0; s < STAGES; s++) mbar_init(full + s, 1);
    stop = 0;
    asm volatile("fence.mbarrier_init.release.cluster;" ::: "memory");
  }
  __syncthreads();
  if (threadIdx.x >= CONSUMERS) {
    if (threadIdx.x == CONSUMERS && a.stream) stream_weights(a, ring, full, &stop);
    return;
  }
  const int lo = (int)((long long)blockIdx.x * HIDDEN / gridDim.x), hi = (int)((long long)(blockIdx.x + 1) * HIDDEN / gridDim.x);
  float s = 1.f;
  for (int r = 0; r < a.rounds; r++) {
    if (VECTOR) {
      for (int i = lo + threadIdx.x; i < hi; i += CONSUMERS) a.vec[i] = s * 0.5f + (float)i;
    }
    barrier_of<RELAXED>(a.barrier);
    if (VECTOR) {
      float v = 0.f;
      for (int i = threadIdx.x; i < HIDDEN; i += CONSUMERS) v += __ldcg(a.vec + i);
      s = block_sum(v, scratch) * 1e-6f;
      barrier_of<RELAXED>(a.barrier);  // everyone has read before the vector is rewritten
    }
  }
  if (threadIdx.x == 0) {
    a.out[blockIdx.x] = s;
    *(volatile int*)&stop = 1;
  }
}

__global__ void __launch_bounds__(CONSUMERS, 1) cg_chain(const Args a) {
  __shared__ float scratch[CONSUMERS / 32];
  cg::grid_group grid = cg::this_grid();
  const int lo = (int)((long long)blockIdx.x * HIDDEN / gridDim.x), hi = (int)((long long)(blockIdx.x + 1) * HIDDEN / gridDim.x);
  float s = 1.f;
  for (int r = 0; r < a.rounds; r++) {
    for (int i = lo + threadIdx.x; i < hi; i += CONSUMERS) a.vec[i] = s * 0.5f + (float)i;
    grid.sync();
    float v = 0.f;
    for (int i = threadIdx.x; i < HIDDEN; i += CONSUMERS) v += __ldcg(a.vec + i);
    s = block_sum(v, scratch) * 1e-6f;
    grid.sync();
  }
  if (threadIdx.x == 0) a.out[blockIdx.x] = s;
}

// Each round: every block of a cluster publishes a value in its shared memory, a cluster barrier,
// then each block reads every block's value through distributed shared memory.
__global__ void __launch_bounds__(CONSUMERS, 1) cluster_chain(const Args a) {
  __shared__ float published[2];
  cg::cluster_group cluster = cg::this_cluster();
  const unsigned n = cluster.num_blocks();
  float s = 1.f;
  for (int r = 0; r < a.rounds; r++) {
    if (threadIdx.x == 0) published[r & 1] = s + (float)cluster.block_rank();
    cluster.sync();
    float v = 0.f;
    if (threadIdx.x < n) v = *cluster.map_shared_rank(&published[r & 1], threadIdx.x);
    for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
    s = v * 1e-6f;
  }
  cluster.sync();  // no block leaves while another may still read its shared memory
  if (threadIdx.x == 0) a.out[blockIdx.x] = s;
}

static float time_launch(void (*launch)(void*), void* ctx) {
  cudaEvent_t t0, t1;
  CHECK(cudaEventCreate(&t0));
  CHECK(cudaEventCreate(&t1));
  launch(ctx);  // warm-up
  CHECK(cudaDeviceSynchronize());
  float best = 1e30f;
  for (int rep = 0; rep < 5; rep++) {
    CHECK(cudaEventRecord(t0));
    launch(ctx);
    CHECK(cudaEventRecord(t1));
    CHECK(cudaEventSynchronize(t1));
    float ms;
    CHECK(cudaEventElapsedTime(&ms, t0, t1));
    if (ms < best) best = ms;
  }
  CHECK(cudaGetLastError());
  return best;
}

struct GridRun {
  Args a;
  int blocks;
  bool vector, relaxed;
};
static void launch_grid(void* p) {
  GridRun* g = static_cast<GridRun*>(p);
  if (g->relaxed) {
    if (g->vector) {
      grid_chain<true, true><<<g->blocks, THREADS, RING_BYTES>>>(g->a);
    } else {
      grid_chain<false, true><<<g->blocks, THREADS, RING_BYTES>>>(g->a);
    }
  } else if (g->vector) {
    grid_chain<true><<<g->blocks, THREADS, RING_BYTES>>>(g->a);
  } else {
    grid_chain<false><<<g->blocks, THREADS, RING_BYTES>>>(g->a);
  }
  CHECK(cudaGetLastError());
}
static void launch_pingpong(void* p) {
  GridRun* g = static_cast<GridRun*>(p);
  CHECK(cudaMemset(g->a.barrier, 0, 256));
  pingpong<<<g->blocks, 32>>>(g->a.barrier, g->a.rounds);
  CHECK(cudaGetLastError());
}
static void launch_cg(void* p) {
  GridRun* g = static_cast<GridRun*>(p);
  void* params[] = {&g->a};
  CHECK(cudaLaunchCooperativeKernel((void*)cg_chain, g->blocks, CONSUMERS, params, 0, nullptr));
}
struct ClusterRun {
  Args a;
  int clusters, size;
};
static cudaLaunchConfig_t cluster_config(const ClusterRun& c, cudaLaunchAttribute* attr) {
  cudaLaunchConfig_t cfg = {};
  cfg.gridDim = dim3((c.clusters > 0 ? c.clusters : 1) * c.size);
  cfg.blockDim = dim3(CONSUMERS);
  cfg.dynamicSmemBytes = RING_BYTES;  // one block a multiprocessor, as the persistent kernel
  attr->id = cudaLaunchAttributeClusterDimension;
  attr->val.clusterDim.x = c.size;
  attr->val.clusterDim.y = 1;
  attr->val.clusterDim.z = 1;
  cfg.attrs = attr;
  cfg.numAttrs = 1;
  return cfg;
}
static void launch_cluster(void* p) {
  ClusterRun* c = static_cast<ClusterRun*>(p);
  cudaLaunchAttribute attr;
  cudaLaunchConfig_t cfg = cluster_config(*c, &attr);
  CHECK(cudaLaunchKernelEx(&cfg, cluster_chain, c->a));
}

int main(int argc, char** argv) {
  const int rounds = argc > 1 ? std::atoi(argv[1]) : 20000;
  cudaDeviceProp prop;
  CHECK(cudaGetDeviceProperties(&prop, 0));
  const int sms = prop.multiProcessorCount;
  std::printf("exchange floor on %s, %d multiprocessors, %d rounds a test (best of 5 launches)\n", prop.name, sms, rounds);
  CHECK(cudaFuncSetAttribute(grid_chain<true>, cudaFuncAttributeMaxDynamicSharedMemorySize, RING_BYTES));
  CHECK(cudaFuncSetAttribute(grid_chain<false>, cudaFuncAttributeMaxDynamicSharedMemorySize, RING_BYTES));
  CHECK(cudaFuncSetAttribute(grid_chain<true, true>, cudaFuncAttributeMaxDynamicSharedMemorySize, RING_BYTES));
  CHECK(cudaFuncSetAttribute(grid_chain<false, true>, cudaFuncAttributeMaxDynamicSharedMemorySize, RING_BYTES));
  CHECK(cudaFuncSetAttribute(cluster_chain, cudaFuncAttributeMaxDynamicSharedMemorySize, RING_BYTES));
  CHECK(cudaFuncSetAttribute(cluster_chain, cudaFuncAttributeNonPortableClusterSizeAllowed, 1));

  Args a = {};
  a.rounds = rounds;
  CHECK(cudaMalloc(&a.barrier, 256));
  CHECK(cudaMemset(a.barrier, 0, 256));
  CHECK(cudaMalloc(&a.vec, HIDDEN * sizeof(float)));
  CHECK(cudaMalloc(&a.out, 4096 * sizeof(float)));
  CHECK(cudaMalloc(&a.streamed, 4096 * sizeof(unsigned long long)));
  const size_t per_block = 8ull << 20;  // 8 MiB a block: ~1 GiB in all, far past L2
  char* stream = nullptr;
  CHECK(cudaMalloc(&stream, per_block * sms));
  CHECK(cudaMemset(stream, 1, per_block * sms));

  GridRun g = {a, sms, false, false};
  float ms = time_launch(launch_pingpong, &g);
  std::printf("RESULT pingpong: %.3f us a one-way flag between blocks 0 and %d\n", ms * 1e3f / rounds / 2, sms - 1);
  for (int relaxed = 0; relaxed < 2; relaxed++) {
    const char* how = relaxed ? " (relaxed polls)" : "";
    g = {a, sms, false, relaxed == 1};
    CHECK(cudaMemset(a.barrier, 0, 256));
    ms = time_launch(launch_grid, &g);
    std::printf("RESULT barrier%s: %.3f us a grid barrier (%d blocks)\n", how, ms * 1e3f / rounds, sms);
    g.vector = true;
    ms = time_launch(launch_grid, &g);
    std::printf("RESULT vector%s: %.3f us an exchange of a %d-float vector (2 grid barriers and a read of it)\n", how,
                ms * 1e3f / rounds, HIDDEN);
  }
  int cg_blocks = 0;
  CHECK(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&cg_blocks, cg_chain, CONSUMERS, 0));
  GridRun gc = {a, sms, true, false};
  ms = time_launch(launch_cg, &gc);
  std::printf("RESULT cg: %.3f us the same exchange through cooperative groups' grid.sync (%d blocks)\n", ms * 1e3f / rounds,
              sms);
  for (int vec = 0; vec < 2; vec++) {
    GridRun gs = {a, sms, vec == 1, false};
    gs.a.stream = stream;
    gs.a.stream_bytes = per_block;
    ms = time_launch(launch_grid, &gs);
    unsigned long long bytes[4096];
    CHECK(cudaMemcpy(bytes, a.streamed, sms * sizeof(unsigned long long), cudaMemcpyDeviceToHost));
    double total = 0;
    for (int b = 0; b < sms; b++) total += (double)bytes[b];
    std::printf("RESULT %s+stream: %.3f us a round while the producers stream %.0f GB/s from HBM\n", vec ? "vector" : "barrier",
                ms * 1e3f / rounds, total / (ms * 1e-3) / 1e9);
  }
  for (int size = 1; size <= 16; size *= 2) {
    ClusterRun c = {a, 0, size};
    cudaLaunchAttribute attr;
    cudaLaunchConfig_t cfg = cluster_config(c, &attr);
    int fit = 0;
    if (cudaOccupancyMaxActiveClusters(&fit, cluster_chain, &cfg) != cudaSuccess || fit == 0) {
      cudaGetLastError();
      std::printf("RESULT cluster %d: does not fit\n", size);
      continue;
    }
    c.clusters = fit;
    ms = time_launch(launch_cluster, &c);
    std::printf("RESULT cluster %d: %d clusters fit at once (%d blocks), %.3f us a cluster barrier and exchange\n", size, fit,
                fit * size, ms * 1e3f / rounds);
  }
  return 0;
}
