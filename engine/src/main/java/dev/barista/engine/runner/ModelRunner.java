package dev.barista.engine.runner;

/**
 * Runs the model over one step's batch. The scheduler, KV-cache manager and sampler above it are
 * backend-free; the CPU and CUDA backends each implement this interface.
 *
 * <p>Lifecycle: construct (weights loaded), {@link #allocateKvCache} once, then {@link #execute} per
 * engine step, then {@link #close}.
 */
public interface ModelRunner extends AutoCloseable {

  /** The shapes the runner was built for: layers, heads, vocabulary, context length. */
  dev.barista.engine.config.ModelConfig config();

  /** Bytes one KV-cache block of {@code blockSize} tokens takes across all layers (keys and values). */
  long kvCacheBytesPerBlock(int blockSize);

  /**
   * Bytes the KV cache may take on this backend's device under vLLM's --gpu-memory-utilization
   * (the fraction of device memory the whole engine may use), measured after loading the weights;
   * -1 for a host-memory backend, whose cache the engine sizes from the host's free memory.
   */
  default long kvCacheMemoryBudget(double gpuMemoryUtilization) {
    return -1;
  }

  /** Allocates the paged KV cache: {@code numBlocks} blocks of {@code blockSize} token slots each. */
  void allocateKvCache(int numBlocks, int blockSize);

  /**
   * Computes one step: for each slice, writes the KV of its tokens into its blocks, and for slices
   * that ask for it samples the next token (and logprobs) from the logits of the slice's last
   * position. Slices of one batch may mix prefill chunks and single decode tokens.
   */
  StepResult execute(ForwardBatch batch);

  /**
   * A sequence classifier's score head [num_labels, hidden] as host weights, applied by the caller
   * to pooled states; null for other models.
   */
  default dev.barista.engine.weights.Tensor classifierHead() {
    return null;
  }

  /** Copies the KV contents of block {@code src} into block {@code dst} (copy-on-write for n > 1). */
  void copyBlock(int src, int dst);

  @Override
  void close();
}
