package dev.barista.engine.api;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Options of an engine, named as vLLM's EngineArgs (camelCase here, snake_case in messages and on
 * the command line). Build with {@link #builder(String)}; {@link Builder#build()} validates.
 *
 * @param model the model folder
 * @param loadFormat "auto" (safetensors; an s3:// model is downloaded first), "runai_streamer" or
 *     its alias "stream" (an s3:// model's weights are streamed into memory, no local copy), or
 *     "dummy" (random weights from config.json)
 * @param dtype "auto" or a dtype name (float32, bfloat16, float16) for dummy weights
 * @param seed seed of dummy weights and of unseeded sampling
 * @param maxModelLen longest prompt plus output; null takes max_position_embeddings
 * @param blockSize tokens per KV-cache block
 * @param kvCacheMemory bytes for the KV cache; null sizes it as gpuMemoryUtilization says
 * @param gpuMemoryUtilization fraction of the device's available memory the KV cache may take
 *     when kvCacheMemory is not given
 * @param maxNumSeqs most sequences in one step
 * @param maxNumBatchedTokens token budget of one step
 * @param enablePrefixCaching automatic prefix caching
 * @param schedulingPolicy "fcfs" or "priority"
 * @param device "cpu", "cuda" or "auto"
 * @param generationConfig "auto" (the model folder's generation_config.json supplies default
 *     sampling parameters), "vllm" (vLLM's own defaults) or a folder holding a
 *     generation_config.json
 * @param revision branch, tag or commit of a Hugging Face repo id model; null for main
 * @param tokenizerRevision the revision to take the tokenizer files from; null for the model's
 */
public record EngineArgs(
    Path model,
    String loadFormat,
    String dtype,
    long seed,
    Integer maxModelLen,
    int blockSize,
    Long kvCacheMemory,
    double gpuMemoryUtilization,
    int maxNumSeqs,
    int maxNumBatchedTokens,
    boolean enablePrefixCaching,
    String schedulingPolicy,
    String device,
    String generationConfig,
    String revision,
    String tokenizerRevision) {

  /** The load formats, as vLLM names them; "stream" is our clearer alias of "runai_streamer". */
  public static final java.util.List<String> LOAD_FORMATS =
      java.util.List.of("auto", "safetensors", "runai_streamer", "stream", "dummy");

  public EngineArgs {
    if (model == null) throw new InvalidParameterException("model", "model is required");
    loadFormat = lower(loadFormat);
    dtype = lower(dtype);
    schedulingPolicy = lower(schedulingPolicy);
    device = lower(device);
    check(LOAD_FORMATS.contains(loadFormat), "load_format",
        "load_format must be one of " + String.join(", ", LOAD_FORMATS) + ", got " + loadFormat);
    if (revision != null && revision.isBlank()) revision = null;
    check(revision == null || !revision.chars().anyMatch(Character::isWhitespace), "revision",
        "revision must be a branch, tag or commit without spaces, got '" + revision + "'");
    if (tokenizerRevision != null && tokenizerRevision.isBlank()) tokenizerRevision = null;
    check(tokenizerRevision == null || !tokenizerRevision.chars().anyMatch(Character::isWhitespace),
        "tokenizer_revision", "tokenizer_revision must be a branch, tag or commit without spaces, got '"
            + tokenizerRevision + "'");
    check(maxModelLen == null || maxModelLen >= 2, "max_model_len",
        "max_model_len must be at least 2, got " + maxModelLen);
    check(blockSize >= 1 && blockSize <= 1024, "block_size",
        "block_size must be in [1, 1024], got " + blockSize);
    check(kvCacheMemory == null || kvCacheMemory > 0, "kv_cache_memory",
        "kv_cache_memory must be a positive number of bytes, got " + kvCacheMemory);
    check(gpuMemoryUtilization > 0 && gpuMemoryUtilization <= 1, "gpu_memory_utilization",
        "gpu_memory_utilization must be in (0, 1], got " + gpuMemoryUtilization);
    check(maxNumSeqs >= 1, "max_num_seqs", "max_num_seqs must be at least 1, got " + maxNumSeqs);
    check(maxNumBatchedTokens >= 1, "max_num_batched_tokens",
        "max_num_batched_tokens must be at least 1, got " + maxNumBatchedTokens);
    check(schedulingPolicy.equals("fcfs") || schedulingPolicy.equals("priority"),
        "scheduling_policy", "scheduling_policy must be fcfs or priority, got " + schedulingPolicy);
    check(device.equals("auto") || device.equals("cpu") || device.equals("cuda"), "device",
        "device must be auto, cpu or cuda, got " + device);
    if (generationConfig == null || generationConfig.isBlank()) generationConfig = "auto";
  }

  /** Whether the weights of a remote (s3://) model are streamed rather than downloaded first. */
  public boolean streamsWeights() {
    return loadFormat.equals("runai_streamer") || loadFormat.equals("stream");
  }

  public static Builder builder(String model) {
    return new Builder(Path.of(model));
  }

  public static Builder builder(Path model) {
    return new Builder(model);
  }

  public Builder toBuilder() {
    Builder b = new Builder(model);
    b.loadFormat = loadFormat; b.dtype = dtype; b.seed = seed; b.maxModelLen = maxModelLen;
    b.blockSize = blockSize; b.kvCacheMemory = kvCacheMemory;
    b.gpuMemoryUtilization = gpuMemoryUtilization; b.maxNumSeqs = maxNumSeqs;
    b.maxNumBatchedTokens = maxNumBatchedTokens; b.enablePrefixCaching = enablePrefixCaching;
    b.schedulingPolicy = schedulingPolicy; b.device = device; b.generationConfig = generationConfig;
    b.revision = revision; b.tokenizerRevision = tokenizerRevision;
    return b;
  }

  private static String lower(String s) {
    return s == null ? "auto" : s.toLowerCase(Locale.ROOT);
  }

  private static void check(boolean ok, String field, String message) {
    if (!ok) throw new InvalidParameterException(field, message);
  }

  /** Mutable builder with vLLM's defaults (where they fit a CPU). */
  public static final class Builder {
    private final Path model;
    private String loadFormat = "auto";
    private String dtype = "auto";
    private long seed = 0;
    private Integer maxModelLen;
    private int blockSize = 16;
    private Long kvCacheMemory;
    private double gpuMemoryUtilization = 0.9;
    private int maxNumSeqs = 256;
    private int maxNumBatchedTokens = 2048;
    private boolean enablePrefixCaching = true;
    private String schedulingPolicy = "fcfs";
    private String device = "auto";
    private String generationConfig = "auto";
    private String revision;
    private String tokenizerRevision;

    private Builder(Path model) {
      this.model = model;
    }

    public Builder loadFormat(String v) { loadFormat = v; return this; }
    public Builder dtype(String v) { dtype = v; return this; }
    public Builder seed(long v) { seed = v; return this; }
    public Builder maxModelLen(Integer v) { maxModelLen = v; return this; }
    public Builder blockSize(int v) { blockSize = v; return this; }
    public Builder kvCacheMemory(Long v) { kvCacheMemory = v; return this; }
    public Builder gpuMemoryUtilization(double v) { gpuMemoryUtilization = v; return this; }
    public Builder maxNumSeqs(int v) { maxNumSeqs = v; return this; }
    public Builder maxNumBatchedTokens(int v) { maxNumBatchedTokens = v; return this; }
    public Builder enablePrefixCaching(boolean v) { enablePrefixCaching = v; return this; }
    public Builder schedulingPolicy(String v) { schedulingPolicy = v; return this; }
    public Builder device(String v) { device = v; return this; }
    public Builder generationConfig(String v) { generationConfig = v; return this; }
    public Builder revision(String v) { revision = v; return this; }
    public Builder tokenizerRevision(String v) { tokenizerRevision = v; return this; }

    public EngineArgs build() {
      return new EngineArgs(model, loadFormat, dtype, seed, maxModelLen, blockSize, kvCacheMemory,
          gpuMemoryUtilization, maxNumSeqs, maxNumBatchedTokens, enablePrefixCaching,
          schedulingPolicy, device, generationConfig, revision, tokenizerRevision);
    }
  }
}
