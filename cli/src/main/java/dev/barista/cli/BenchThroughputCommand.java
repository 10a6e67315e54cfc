package dev.barista.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.barista.engine.api.CompletionOutput;
import dev.barista.engine.api.EngineStats;
import dev.barista.engine.api.LLM;
import dev.barista.engine.api.PromptInput;
import dev.barista.engine.api.RequestOutput;
import dev.barista.engine.api.SamplingParams;
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

  @Mixin EngineOptions engine;

  @Override
  public Integer call() throws IOException {
    if (inputLen < 1 || outputLen < 1 || numPrompts < 1) {
      throw new IllegalArgumentException("--input-len, --output-len and --num-prompts must be positive");
    }
    long loadStart = System.nanoTime();
    try (LLM llm = new LLM(engine.toArgs(model, 256))) {
      double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
      List<PromptInput> prompts = new ArrayList<>();
      List<SamplingParams> params = new ArrayList<>();
      if (dataset != null) readDataset(prompts, params);
      else randomPrompts(llm, prompts, params);

      long start = System.nanoTime();
      List<RequestOutput> outs = llm.generate(prompts, params, true);
      double seconds = (System.nanoTime() - start) / 1e9;

      long inputTokens = 0;
      long outputTokens = 0;
      for (RequestOutput o : outs) {
        inputTokens += o.promptTokenIds().size();
        for (CompletionOutput c : o.outputs()) outputTokens += c.tokenIds().size();
      }
      EngineStats stats = llm.stats();
      System.out.printf("Model load: %.2f s%n", loadSeconds);
      System.out.printf("Throughput: %.2f requests/s, %.2f total tokens/s, %.2f input tokens/s,"
              + " %.2f output tokens/s%n", outs.size() / seconds,
          (inputTokens + outputTokens) / seconds, inputTokens / seconds, outputTokens / seconds);
      System.out.printf("Requests: %d, input tokens: %d, output tokens: %d, elapsed: %.2f s,"
              + " preemptions: %d, prefix cache hits: %d of %d tokens%n", outs.size(), inputTokens,
          outputTokens, seconds, stats.numPreemptions(), stats.prefixCacheHits(),
          stats.prefixCacheQueries());
    }
    return 0;
  }

  /** Uniformly random token ids, as vLLM's random dataset; greedy-free sampling, EOS ignored. */
  private void randomPrompts(LLM llm, List<PromptInput> prompts, List<SamplingParams> params) {
    int vocab = llm.engine().vocabSize();
    Random rnd = new Random(seed);
    SamplingParams p = SamplingParams.builder().temperature(1.0).topP(1.0).ignoreEos(true)
        .maxTokens(outputLen).build();
    for (int i = 0; i < numPrompts; i++) {
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
      params.add(SamplingParams.builder().temperature(1.0).ignoreEos(true).maxTokens(out).build());
      if (prompts.size() == numPrompts) break;
    }
  }
}
