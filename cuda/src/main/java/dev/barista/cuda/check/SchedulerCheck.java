package dev.barista.cuda.check;

import dev.barista.engine.api.EngineArgs;
import dev.barista.engine.api.LLM;
import dev.barista.engine.api.PromptInput;
import dev.barista.engine.api.RequestOutput;
import dev.barista.engine.api.SamplingParams;
import dev.barista.engine.config.ModelConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The batching issue's equivalences on the GPU, through the real scheduler and engine with
 * {@code --device cuda}: many requests of mixed lengths together give each request's greedy tokens
 * run alone, with prefix caching on and off, under a KV budget so small that requests are
 * preempted and recomputed, and with a shared prompt prefix served from the prefix cache.
 *
 * <p>Usage: {@code SchedulerCheck [--dtype D] [--device cuda|cpu] MODEL_DIR...} (cpu checks the
 * check itself on a machine without a GPU); D defaults to float32 (the f32 math
 * mode), where batching cannot move a greedy choice; with bfloat16 different GEMM shapes round
 * differently, so a low-margin step may legitimately differ and the counts are reported.
 */
public final class SchedulerCheck {
  private static final int REQUESTS = 32;
  private final Path dir;
  private final String device;
  private final String dtype;
  private final List<PromptInput> prompts = new ArrayList<>();
  private final List<SamplingParams> params = new ArrayList<>();
  private final List<String> failures = new ArrayList<>();

  private SchedulerCheck(Path dir, String device, String dtype, boolean sharedPrefix) {
    this.dir = dir;
    this.device = device;
    this.dtype = dtype;
    int vocab = ModelConfig.load(dir).vocabSize();
    Random rnd = new Random(sharedPrefix ? 11 : 7);
    List<Integer> prefix = new ArrayList<>();
    for (int t = 0; t < 64; t++) prefix.add(3 + rnd.nextInt(Math.min(1000, vocab - 3)));
    for (int i = 0; i < REQUESTS; i++) {
      List<Integer> ids = new ArrayList<>(sharedPrefix ? prefix : List.of());
      int len = 1 + rnd.nextInt(i % 4 == 0 ? 120 : 30);
      for (int t = 0; t < len; t++) ids.add(3 + rnd.nextInt(Math.min(1000, vocab - 3)));
      prompts.add(PromptInput.tokens(ids));
      params.add(SamplingParams.builder().temperature(0).ignoreEos(true)
          .maxTokens(1 + rnd.nextInt(24)).build());
    }
  }

  public static void main(String[] args) {
    String dtype = "float32";
    String device = "cuda";
    int first = 0;
    while (args.length > first + 1 && args[first].startsWith("--")) {
      if (args[first].equals("--dtype")) dtype = args[first + 1];
      else if (args[first].equals("--device")) device = args[first + 1];
      else throw new IllegalArgumentException("unknown option " + args[first]);
      first += 2;
    }
    int failed = 0;
    for (int i = first; i < args.length; i++) {
      Path dir = Path.of(args[i]);
      String skip = device.equals("cuda") ? ModelCheck.skipReason(dir) : null;
      if (skip != null) {
        System.out.println(dir.getFileName() + ": " + skip + "; skipped");
        continue;
      }
      try {
        failed += new SchedulerCheck(dir, device, dtype, false).runMixed();
        failed += new SchedulerCheck(dir, device, dtype, true).runSharedPrefix();
      } catch (RuntimeException e) {
        System.out.println(dir.getFileName() + " [sched " + dtype + "] FAIL " + e);
        failed++;
      }
    }
    System.out.println("scheduler checks: " + (failed == 0 ? "all passed" : failed + " failed"));
    if (failed > 0) System.exit(1);
  }

  private EngineArgs.Builder args() {
    return EngineArgs.builder(dir).device(device).dtype(dtype).maxModelLen(256);
  }

  /** Each request alone (one sequence at a time, no prefix caching), and the KV bytes per token. */
  private List<List<Integer>> alone(long[] kvBytesPerToken) {
    List<List<Integer>> out = new ArrayList<>();
    try (LLM llm = new LLM(args().enablePrefixCaching(false).maxNumSeqs(1).build())) {
      kvBytesPerToken[0] = llm.engine().kvCacheBytesPerToken();
      for (int i = 0; i < REQUESTS; i++) {
        out.add(llm.generate(List.of(prompts.get(i)), List.of(params.get(i)), false)
            .getFirst().outputs().getFirst().tokenIds());
      }
    }
    return out;
  }

  private static List<List<Integer>> tokens(List<RequestOutput> outputs) {
    List<List<Integer>> out = new ArrayList<>();
    for (RequestOutput o : outputs) out.add(o.outputs().getFirst().tokenIds());
    return out;
  }

  private int runMixed() {
    long[] perToken = new long[1];
    List<List<Integer>> alone = alone(perToken);
    for (boolean caching : new boolean[] {true, false}) {
      try (LLM llm = new LLM(args().enablePrefixCaching(caching).maxNumBatchedTokens(256).build())) {
        compare("batched = alone, prefix caching " + caching, alone,
            tokens(llm.generate(prompts, params, false)), "");
      }
      // 16 blocks of 16 tokens: one request of max_model_len fits, 32 at once do not
      try (LLM llm = new LLM(args().enablePrefixCaching(caching).kvCacheMemory(16 * 16 * perToken[0])
          .maxNumBatchedTokens(128).build())) {
        List<List<Integer>> got = tokens(llm.generate(prompts, params, false));
        long preemptions = llm.stats().numPreemptions();
        report("preemption = alone, prefix caching " + caching, preemptions > 0,
            preemptions + " preemptions (must be > 0)");
        compare("preemption = alone, prefix caching " + caching, alone, got, "");
      }
    }
    return failures.size();
  }

  private int runSharedPrefix() {
    List<List<Integer>> alone = alone(new long[1]);
    try (LLM llm = new LLM(args().enablePrefixCaching(true).maxNumBatchedTokens(256).build())) {
      List<List<Integer>> got = new ArrayList<>();
      // the first request fills the cache; the rest find its 64-token prefix (4 full blocks)
      got.addAll(tokens(llm.generate(prompts.subList(0, 1), params.subList(0, 1), false)));
      got.addAll(tokens(llm.generate(prompts.subList(1, REQUESTS), params.subList(1, REQUESTS), false)));
      long hits = llm.stats().prefixCacheHits();
      long computed = llm.stats().computedPromptTokens();
      long prompt = llm.stats().promptTokens();
      report("shared prefix served from the cache", hits >= (REQUESTS - 1) * 64L,
          hits + " cached prompt tokens of " + prompt + " (computed " + computed + ")");
      compare("shared prefix = alone", alone, got, "");
    }
    return failures.size();
  }

  private void compare(String what, List<List<Integer>> expected, List<List<Integer>> got,
      String extra) {
    int differ = 0;
    int tokens = 0;
    for (int i = 0; i < expected.size(); i++) {
      tokens += expected.get(i).size();
      if (!expected.get(i).equals(got.get(i))) differ++;
    }
    report(what, differ == 0, REQUESTS + " requests, " + tokens + " tokens, " + differ
        + " requests differ" + extra);
  }

  private void report(String what, boolean ok, String detail) {
    String line = dir.getFileName() + " [sched " + dtype + "] " + what + (ok ? " OK " : " FAIL ")
        + detail;
    System.out.println(line);
    if (!ok) failures.add(line);
  }
}
