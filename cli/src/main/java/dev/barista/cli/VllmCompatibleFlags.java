package dev.barista.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * Flags of `vllm serve` that command lines written for vLLM often carry and that change nothing in
 * Barista, or only take the one value Barista implements. They are accepted so such command lines
 * run unchanged (a drop-in); each one that has no effect is named in a note on stderr, and a value
 * Barista cannot honour fails with one clear line instead of being ignored.
 */
public final class VllmCompatibleFlags {
  @Option(names = "--trust-remote-code", description = "Accepted; no model code is ever run.")
  boolean trustRemoteCode;

  @Option(names = "--disable-log-stats", description = "Accepted; no periodic stats log exists.")
  boolean disableLogStats;

  @Option(names = "--uvicorn-log-level", paramLabel = "LEVEL", description = "Accepted; no effect.")
  String uvicornLogLevel;

  @Option(names = "--disable-frontend-multiprocessing", description = "Accepted; no effect.")
  boolean disableFrontendMultiprocessing;

  @Option(names = "--swap-space", paramLabel = "GiB", description = "Accepted; preemption recomputes.")
  Double swapSpace;

  @Option(names = "--max-log-len", paramLabel = "N", description = "Accepted; no effect.")
  Integer maxLogLen;

  @Option(names = "--enforce-eager", description = "Accepted; CUDA graphs stay on for decode.")
  boolean enforceEager;

  @Option(names = "--enable-chunked-prefill", arity = "0..1", fallbackValue = "true",
      description = "Accepted; chunked prefill is always on.")
  Boolean enableChunkedPrefill;

  @Option(names = "--distributed-executor-backend", paramLabel = "NAME",
      description = "Accepted; one process serves.")
  String distributedExecutorBackend;

  @Option(names = "--kv-cache-dtype", defaultValue = "auto", description = "Only auto.")
  String kvCacheDtype;

  @Option(names = {"--quantization", "-q"}, description = "Only none (unquantized checkpoints).")
  String quantization;

  @Option(names = {"--pipeline-parallel-size", "-pp"}, defaultValue = "1", description = "Only 1.")
  int pipelineParallelSize;

  @Option(names = "--task", paramLabel = "TASK",
      description = "Accepted for auto, generate, embed, embedding, classify, score: every endpoint is served.")
  String task;

  @Option(names = "--runner", paramLabel = "RUNNER",
      description = "Accepted for auto, generate, pooling: every endpoint is served.")
  String runner;

  @Option(names = "--convert", paramLabel = "CONVERT",
      description = "Accepted for auto, none, embed, classify: pooling takes the last token.")
  String convert;

  private static final List<String> TASKS = List.of("auto", "generate", "embed", "embedding", "classify", "score");
  private static final List<String> RUNNERS = List.of("auto", "generate", "pooling");
  private static final List<String> CONVERSIONS = List.of("auto", "none", "embed", "classify");

  /**
   * Fails on a value Barista cannot honour; returns one note per given flag that has no effect.
   */
  List<String> check() {
    if (!kvCacheDtype.equalsIgnoreCase("auto")) {
      throw new IllegalArgumentException("--kv-cache-dtype " + kvCacheDtype
          + " is not supported: Barista keeps the KV cache in the model's compute dtype (auto)");
    }
    if (quantization != null && !quantization.toLowerCase(Locale.ROOT).equals("none")) {
      throw new IllegalArgumentException("--quantization " + quantization
          + " is not supported: Barista serves unquantized f32/bf16/f16 checkpoints");
    }
    if (pipelineParallelSize != 1) {
      throw new IllegalArgumentException("--pipeline-parallel-size " + pipelineParallelSize
          + " is not supported yet (multi-GPU is not implemented); use 1");
    }
    for (String[] f : new String[][] {{"--task", task}, {"--runner", runner}, {"--convert", convert}}) {
      List<String> allowed = f[0].equals("--task") ? TASKS : f[0].equals("--runner") ? RUNNERS : CONVERSIONS;
      if (f[1] != null && !allowed.contains(f[1].toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException(f[0] + " " + f[1] + " is not supported (" + String.join(", ", allowed) + ")");
      }
    }
    List<String> notes = new ArrayList<>();
    for (String[] f : new String[][] {{"--task", task}, {"--runner", runner}, {"--convert", convert}}) {
      if (f[1] != null) {
        notes.add(f[0] + " has no effect: /v1/completions, /v1/chat/completions, /v1/embeddings, /score and"
            + " /classify are all served (each where the model allows it)");
      }
    }
    if (trustRemoteCode) notes.add("--trust-remote-code has no effect: Barista never runs model code");
    if (disableLogStats) notes.add("--disable-log-stats has no effect: stats are on /metrics only");
    if (uvicornLogLevel != null) notes.add("--uvicorn-log-level has no effect");
    if (disableFrontendMultiprocessing) notes.add("--disable-frontend-multiprocessing has no effect");
    if (swapSpace != null) notes.add("--swap-space has no effect: preempted requests are recomputed");
    if (maxLogLen != null) notes.add("--max-log-len has no effect");
    if (enforceEager) notes.add("--enforce-eager has no effect: CUDA graphs stay on for decode");
    if (Boolean.FALSE.equals(enableChunkedPrefill)) {
      notes.add("--enable-chunked-prefill false has no effect: chunked prefill is always on");
    }
    if (distributedExecutorBackend != null) {
      notes.add("--distributed-executor-backend has no effect: one process serves");
    }
    return notes;
  }
}
