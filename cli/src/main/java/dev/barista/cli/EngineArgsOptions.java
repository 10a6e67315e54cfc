package dev.barista.cli;

import dev.barista.engine.api.EngineArgs;
import picocli.CommandLine.Option;

/**
 * The engine flags of `vllm serve` (and run-batch, bench serve --in-process), by vLLM's names.
 * Defaults left unset fall back to EngineArgs' own.
 */
public final class EngineArgsOptions {
  @Option(names = "--max-model-len", description = "Longest prompt plus output (default: the model's).")
  Integer maxModelLen;

  @Option(names = "--max-num-seqs", description = "Most sequences in one step.")
  Integer maxNumSeqs;

  @Option(names = "--max-num-batched-tokens", description = "Token budget of one step.")
  Integer maxNumBatchedTokens;

  @Option(names = "--enable-prefix-caching", negatable = true, defaultValue = "true",
      fallbackValue = "true", description = "Automatic prefix caching (default on).")
  boolean enablePrefixCaching;

  @Option(names = "--load-format", defaultValue = "auto", description = "auto or dummy.")
  String loadFormat;

  @Option(names = "--dtype", defaultValue = "auto", description = "auto, float32, bfloat16, float16.")
  String dtype;

  @Option(names = "--seed", defaultValue = "0", description = "Seed of dummy weights and sampling.")
  long seed;

  @Option(names = "--block-size", description = "Tokens per KV-cache block.")
  Integer blockSize;

  @Option(names = "--kv-cache-memory", description = "Bytes for the KV cache.")
  Long kvCacheMemory;

  @Option(names = "--gpu-memory-utilization", description = "Fraction of memory for the KV cache.")
  Double gpuMemoryUtilization;

  @Option(names = "--scheduling-policy", description = "fcfs or priority.")
  String schedulingPolicy;

  @Option(names = "--device", defaultValue = "auto", description = "auto, cpu or cuda.")
  String device;

  @Option(names = "--generation-config", defaultValue = "auto",
      description = "auto (generation_config.json gives sampling defaults), vllm, or a folder.")
  String generationConfig;

  @Option(names = "--tensor-parallel-size", defaultValue = "1", description = "Only 1 for now.")
  int tensorParallelSize;

  EngineArgs toEngineArgs(String model) {
    if (tensorParallelSize != 1) {
      throw new IllegalArgumentException("--tensor-parallel-size " + tensorParallelSize
          + " is not supported yet (multi-GPU is not implemented); use 1");
    }
    EngineArgs.Builder b = EngineArgs.builder(model)
        .loadFormat(loadFormat).dtype(dtype).seed(seed).maxModelLen(maxModelLen)
        .enablePrefixCaching(enablePrefixCaching).device(device)
        .generationConfig(generationConfig);
    if (maxNumSeqs != null) b.maxNumSeqs(maxNumSeqs);
    if (maxNumBatchedTokens != null) b.maxNumBatchedTokens(maxNumBatchedTokens);
    if (blockSize != null) b.blockSize(blockSize);
    if (kvCacheMemory != null) b.kvCacheMemory(kvCacheMemory);
    if (gpuMemoryUtilization != null) b.gpuMemoryUtilization(gpuMemoryUtilization);
    if (schedulingPolicy != null) b.schedulingPolicy(schedulingPolicy);
    return b.build();
  }
}
