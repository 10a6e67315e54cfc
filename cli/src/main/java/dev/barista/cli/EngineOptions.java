package dev.barista.cli;

import dev.barista.engine.api.EngineArgs;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** vLLM's engine flags, shared by every command that starts an engine. */
public final class EngineOptions {
  @Option(names = "--load-format", defaultValue = "auto",
      description = "auto (safetensors; an s3:// model is downloaded, then loaded), runai_streamer or its"
          + " alias stream (an s3:// model's weights are streamed into memory), or dummy (random weights)")
  public String loadFormat;

  @Option(names = "--revision",
      description = "branch, tag or commit of a Hugging Face repo id model (default: main)")
  public String revision;

  @Option(names = "--tokenizer-revision",
      description = "branch, tag or commit to take the tokenizer from (default: the model's revision)")
  public String tokenizerRevision;

  @Option(names = "--dtype", defaultValue = "auto",
      description = "dtype of dummy weights: auto, float32, bfloat16, float16")
  public String dtype;

  @Option(names = "--max-model-len", description = "longest prompt plus output (default: the model's)")
  public Integer maxModelLen;

  @Option(names = "--block-size", defaultValue = "16", description = "tokens per KV-cache block")
  public int blockSize;

  @Option(names = "--kv-cache-memory", description = "bytes for the KV cache")
  public Long kvCacheMemory;

  @Option(names = "--gpu-memory-utilization", defaultValue = "0.9",
      description = "fraction of the device's memory to use when --kv-cache-memory is not given")
  public double gpuMemoryUtilization;

  @Option(names = "--max-num-seqs", description = "most sequences per step (default 256)")
  public Integer maxNumSeqs;

  @Option(names = "--max-num-batched-tokens", defaultValue = "2048",
      description = "token budget of one step")
  public int maxNumBatchedTokens;

  @Option(names = "--enable-prefix-caching", negatable = true, defaultValue = "true",
      fallbackValue = "true", description = "automatic prefix caching (default on)")
  public boolean enablePrefixCaching;

  @Option(names = "--scheduling-policy", defaultValue = "fcfs", description = "fcfs or priority")
  public String schedulingPolicy;

  @Option(names = "--device", defaultValue = "auto", description = "cpu, cuda or auto")
  public String device;

  @Option(names = "--generation-config", defaultValue = "auto",
      description = "auto (the model's generation_config.json), vllm, or a folder")
  public String generationConfig;

  @Option(names = "--engine-seed", defaultValue = "0",
      description = "seed of dummy weights and of unseeded sampling")
  public long engineSeed;

  /** The engine arguments for {@code model}; {@code defaultMaxNumSeqs} when the flag is absent. */
  public EngineArgs toArgs(Path model, int defaultMaxNumSeqs) {
    return EngineArgs.builder(model).loadFormat(loadFormat).dtype(dtype).seed(engineSeed)
        .maxModelLen(maxModelLen).blockSize(blockSize).kvCacheMemory(kvCacheMemory)
        .gpuMemoryUtilization(gpuMemoryUtilization)
        .maxNumSeqs(maxNumSeqs != null ? maxNumSeqs : defaultMaxNumSeqs)
        .maxNumBatchedTokens(maxNumBatchedTokens).enablePrefixCaching(enablePrefixCaching)
        .schedulingPolicy(schedulingPolicy).device(device).generationConfig(generationConfig)
        .revision(revision).tokenizerRevision(tokenizerRevision).build();
  }
}
