package dev.barista.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.barista.engine.api.CompletionOutput;
import dev.barista.engine.api.EngineStats;
import dev.barista.engine.api.LLM;
import dev.barista.engine.api.PromptInput;
import dev.barista.engine.api.RequestOutput;
import dev.barista.engine.api.SamplingParams;
import dev.barista.engine.api.StepTimes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * `barista bench throughput`, like `vllm bench throughput`: submits every prompt at once to an
 * offline engine and reports requests/s and input/output tokens/s over the whole run.
 */
@Command(name = "throughput", mixinStandardHelpOptions = true,
    description = "Offline throughput: all prompts at once, requests/s and tokens/s.")
public final class BenchThroughputCommand implements Callable<Integer> {

  @Option(names = "--model", required = true, description = "model folder")
  Path model;

  @Option(names = "--input-len", defaultValue = "1024", description = "prompt tokens (random prompts)")
  int inputLen;

  @Option(names = "--output-len", defaultValue = "128", description = "tokens generated per request")
  int outputLen;

  @Option(names = "--num-prompts", defaultValue = "1000", description = "number of requests")
  int numPrompts;

  @Option(names = "--dataset", description = "JSONL with prompt or prompt_token_ids per line"
      + " (optional output_len); replaces the random prompts")
  Path dataset;

  @Option(names = "--seed", defaultValue = "0", description = "seed of the random prompts")
  long seed;

  @Option(names = "--batch-sizes", split = ",",
      description = "sweep: run this many prompts at once for each size on one loaded engine,"
          + " reporting output tokens/s and the speed-up over the first size")
  List<Integer> batchSizes;

  @Option(names = "--repeats", defaultValue = "1", description = "runs per sweep size (median)")
  int repeats;

  @Option(names = "--logprobs", description = "ask for the top K logprobs of every generated token (their cost measured too)")
  Integer logprobs;

  @Option(names = "--prompt-logprobs", description = "ask for the top K logprobs of every prompt token")
  Integer promptLogprobs;

  @Mixin EngineOptions engine;

  private long rndCalls;

  @Override
  public Integer call() throws IOException {
    if (inputLen < 1 || outputLen < 1 || numPrompts < 1) {
      throw new IllegalArgumentException("--input-len, --output-len and --num-prompts must be positive");
    }
    long loadStart = System.nanoTime();
    int maxSeqs = batchSizes == null ? 256 : batchSizes.stream().max(Integer::compare).orElse(1);
    try (LLM llm = new LLM(engine.toArgs(model, maxSeqs))) {
      double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
      System.out.printf("Model load: %.2f s; KV cache: %d bytes per token%n", loadSeconds,
          llm.engine().kvCacheBytesPerToken());
      if (batchSizes != null) {
        sweep(llm);
        return 0;
      }
      List<PromptInput> prompts = new ArrayList<>();
      List<SamplingParams> params = new ArrayList<>();
      if (dataset != null) readDataset(prompts, params);
      else randomPrompts(llm, numPrompts, prompts, params);
      StepTimes before = llm.engine().stepTimes();
      Result r = measure(llm, prompts, params);
      EngineStats stats = llm.stats();
      System.out.printf("Throughput: %.2f requests/s, %.2f total tokens/s, %.2f input tokens/s,"
              + " %.2f output tokens/s%n", r.requests / r.seconds,
          (r.inputTokens + r.outputTokens) / r.seconds, r.inputTokens / r.seconds,
          r.outputTokens / r.seconds);
      System.out.printf("Requests: %d, input tokens: %d, output tokens: %d, elapsed: %.2f s,"
              + " preemptions: %d, prefix cache hits: %d of %d tokens%n", r.requests,
          r.inputTokens, r.outputTokens, r.seconds, stats.numPreemptions(),
          stats.prefixCacheHits(), stats.prefixCacheQueries());
      printSteps(llm.engine().stepTimes().since(before));
    }
    return 0;
  }

  /** Where the run's time went, by kind of step, so that a run can be set against its floors. */
  static void printSteps(StepTimes t) {
    System.out.printf("Steps: %d in %.2f s: %d with prefill (%.2f s, %d tokens, median %.2f ms a step),"
            + " %d decode-only (%.2f s, %d tokens, median %.2f ms a step); outside the model runner: %.2f s%n",
        t.steps(), t.seconds(), t.prefill().steps(), t.prefill().seconds(), t.prefill().tokens(),
        t.prefill().medianMillis(), t.decode().steps(), t.decode().seconds(), t.decode().tokens(),
        t.decode().medianMillis(), t.hostSeconds());
  }

  private record Result(int requests, long inputTokens, long outputTokens, double seconds) {}

  private static Result measure(LLM llm, List<PromptInput> prompts, List<SamplingParams> params) {
    long start = System.nanoTime();
    List<RequestOutput> outs = llm.generate(prompts, params, true);
    double seconds = (System.nanoTime() - start) / 1e9;
    long in = 0;
    long out = 0;
    for (RequestOutput o : outs) {
      in += o.promptTokenIds().size();
      for (CompletionOutput c : o.outputs()) out += c.tokenIds().size();
    }
    return new Result(outs.size(), in, out, seconds);
  }

  /** Each batch size on the same engine: B prompts at once, the median of --repeats runs. */
  private void sweep(LLM llm) {
    List<PromptInput> warm = new ArrayList<>();
    List<SamplingParams> warmParams = new ArrayList<>();
    randomPrompts(llm, batchSizes.getFirst(), warm, warmParams);
    measure(llm, warm, warmParams); // unmeasured: lets the JIT compile the kernels
    double base = 0;
    System.out.println("batch\toutput tok/s (median)\tspeed-up\truns");
    for (int b : batchSizes) {
      List<Double> rates = new ArrayList<>();
      for (int rep = 0; rep < repeats; rep++) {
        List<PromptInput> prompts = new ArrayList<>();
        List<SamplingParams> params = new ArrayList<>();
        randomPrompts(llm, b, prompts, params);
        Result r = measure(llm, prompts, params);
        rates.add(r.outputTokens / r.seconds);
      }
      List<Double> sorted = rates.stream().sorted().toList();
      double median = sorted.get(sorted.size() / 2);
      if (base == 0) base = median;
      System.out.printf("%d\t%.2f\t%.2fx\t%s%n", b, median, median / base,
          rates.stream().map(x -> String.format("%.2f", x)).toList());
    }
  }

  /** Uniformly random token ids, as vLLM's random dataset; greedy-free sampling, EOS ignored. */
  private void randomPrompts(LLM llm, int count, List<PromptInput> prompts,
      List<SamplingParams> params) {
    int vocab = llm.engine().vocabSize();
    Random rnd = new Random(seed + prompts.size() + 31L * count + rndCalls++);
    SamplingParams p = SamplingParams.builder().temperature(1.0).topP(1.0).ignoreEos(true)
        .maxTokens(outputLen).logprobs(logprobs).promptLogprobs(promptLogprobs).build();
    for (int i = 0; i < count; i++) {
      List<Integer> ids = new ArrayList<>(inputLen);
      for (int t = 0; t < inputLen; t++) ids.add(rnd.nextInt(vocab));
      prompts.add(PromptInput.tokens(ids));
      params.add(p);
    }
  }

  private void readDataset(List<PromptInput> prompts, List<SamplingParams> params) throws IOException {
    if (!Files.isRegularFile(dataset)) throw new IllegalArgumentException("--dataset " + dataset + ": no such file");
    int lineNo = 0;
    for (String line : Files.readAllLines(dataset, StandardCharsets.UTF_8)) {
      lineNo++;
      if (line.isBlank()) continue;
      JsonNode node;
      try {
        node = CompletionJson.MAPPER.readTree(line);
      } catch (IOException e) {
        throw new IllegalArgumentException("--dataset line " + lineNo + " is not valid JSON");
      }
      int out = node.has("output_len") ? node.get("output_len").asInt() : outputLen;
      if (node.has("prompt_token_ids")) {
        List<Integer> ids = new ArrayList<>();
        node.get("prompt_token_ids").forEach(n -> ids.add(n.asInt()));
        prompts.add(PromptInput.tokens(ids));
      } else if (node.has("prompt")) {
        prompts.add(PromptInput.text(node.get("prompt").asText()));
      } else {
        throw new IllegalArgumentException("--dataset line " + lineNo
            + " has neither prompt nor prompt_token_ids");
      }
      params.add(SamplingParams.builder().temperature(1.0).ignoreEos(true).maxTokens(out).logprobs(logprobs)
          .promptLogprobs(promptLogprobs).build());
      if (prompts.size() == numPrompts) break;
    }
  }
}
