package dev.barista.engine.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.barista.engine.api.EngineArgs;
import dev.barista.engine.api.LLM;
import dev.barista.engine.api.PromptInput;
import dev.barista.engine.api.RequestOutput;
import dev.barista.engine.api.SamplingParams;
import dev.barista.engine.testing.ReferenceModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Models whose layers differ from Llama's (Gemma 2: alternating 8-token windows and soft-capping;
 * Gemma 3: a window and a local rotary base on one layer of two; Mistral: a window everywhere; OPT
 * and GPT-2: learned positions; GPT-NeoX and Phi: partial rotary and a parallel residual; EXAONE 4
 * and Cohere 2: sliding layers and unrotated full layers; Nemotron: LayerNorm1P and relu2; OLMo:
 * clipped q/k/v; HunYuan: q/k norms after RoPE; Bloom, MPT and Falcon-RW: ALiBi, whose biases are
 * relative to each query's position; Llama 4: 8-token chunks that a prefill chunk or a cached prefix
 * may cut through, and position-scaled queries on its NoPE layer): requests
 * longer than the window, batched with chunked prefill and prefix caching, give the tokens each
 * gives alone.
 */
class ModelFamiliesBatchingTest {
  @ParameterizedTest
  @ValueSource(strings = {"tiny-gemma2", "tiny-gemma3", "tiny-mistral", "tiny-opt", "tiny-gpt2", "tiny-gptneox", "tiny-phi",
      "tiny-starcoder2", "tiny-stablelm", "tiny-mixtral", "tiny-qwen2moe", "tiny-olmo3", "tiny-gptj", "tiny-cohere", "tiny-glm4",
      "tiny-qwen3vl", "tiny-olmoe", "tiny-falcon-newarch", "tiny-granitemoeshared", "tiny-exaone4", "tiny-cohere2",
      "tiny-nemotron", "tiny-olmo", "tiny-hunyuan", "tiny-arcee", "tiny-glm4moe", "tiny-deepseekv3", "tiny-deepseekv3-noqlora", "tiny-gptoss",
      "tiny-deepseekv2", "tiny-deepseekv2-grouped", "tiny-bloom", "tiny-mpt", "tiny-falcon-rw",
      "tiny-dots1", "tiny-ernie45moe", "tiny-llama4"})
  void batchedWithChunkedPrefillAndPrefixCachingEqualsAlone(String model) {
    Random rnd = new Random(11);
    List<Integer> shared = new ArrayList<>();
    for (int t = 0; t < 20; t++) shared.add(3 + rnd.nextInt(500));
    List<PromptInput> prompts = new ArrayList<>();
    List<SamplingParams> params = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      List<Integer> ids = new ArrayList<>(i % 3 == 0 ? shared : List.of());
      int len = 1 + rnd.nextInt(40);
      for (int t = 0; t < len; t++) ids.add(3 + rnd.nextInt(500));
      prompts.add(PromptInput.tokens(ids));
      params.add(SamplingParams.builder().temperature(0).ignoreEos(true).maxTokens(4 + rnd.nextInt(20)).build());
    }
    EngineArgs.Builder args = EngineArgs.builder(ReferenceModel.folder(model)).device("cpu").maxModelLen(128)
        .kvCacheMemory(16L << 20);
    List<List<Integer>> alone = new ArrayList<>();
    try (LLM llm = new LLM(args.enablePrefixCaching(false).maxNumSeqs(1).build())) {
      for (int i = 0; i < prompts.size(); i++) {
        alone.add(llm.generate(List.of(prompts.get(i)), List.of(params.get(i)), false)
            .getFirst().outputs().getFirst().tokenIds());
      }
    }
    try (LLM llm = new LLM(args.enablePrefixCaching(true).maxNumSeqs(16).maxNumBatchedTokens(24).build())) {
      List<List<Integer>> batched = new ArrayList<>();
      for (RequestOutput o : llm.generate(prompts, params, false)) batched.add(o.outputs().getFirst().tokenIds());
      assertEquals(alone, batched, model);
    }
  }
}
