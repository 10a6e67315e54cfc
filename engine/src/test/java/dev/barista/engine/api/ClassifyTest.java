package dev.barista.engine.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.barista.engine.testing.ModelFolders;
import dev.barista.engine.testing.ModelFolders.RawTensor;
import dev.barista.engine.testing.ReferenceModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LLM.classify on LlamaForSequenceClassification checkpoints made from tiny-llama: with the first K
 * rows of its LM head as the score head, the class logits are transformers' logits of tokens 0..K-1
 * at the prompt's last position, so the probabilities must be their softmax (their sigmoid for
 * one class).
 */
class ClassifyTest {

  private static Path classifier(Path dir, int labels) throws Exception {
    return classifier(dir, labels, "tiny-llama", "lm_head.weight", "LlamaForSequenceClassification");
  }

  /** {@code model} (untied, its LM head named {@code head}) as {@code architecture} with K classes. */
  private static Path classifier(Path dir, int labels, String model, String head, String architecture) throws Exception {
    ModelFolders.copy(model, Files.createDirectory(dir));
    Map<String, RawTensor> tensors = new LinkedHashMap<>(ModelFolders.readTensors(dir));
    RawTensor lmHead = tensors.remove(head);
    int rowBytes = lmHead.data().length / (int) lmHead.shape()[0];
    tensors.put("score.weight", new RawTensor(lmHead.dtype(), new long[] {labels, lmHead.shape()[1]},
        Arrays.copyOf(lmHead.data(), labels * rowBytes)));
    ModelFolders.writeTensors(dir, tensors);
    ModelFolders.editConfig(dir, c -> {
      ((ArrayNode) c.putArray("architectures")).add(architecture);
      var id2label = c.putObject("id2label");
      for (int i = 0; i < labels; i++) id2label.put(Integer.toString(i), "LABEL_" + i);
    });
    return dir;
  }

  private static LLM llm(Path dir) {
    return new LLM(EngineArgs.builder(dir).device("cpu").maxModelLen(128).kvCacheMemory(16L << 20).build());
  }

  @Test
  void classProbabilitiesAreTheSoftmaxOfTransformersLogits(@TempDir Path tmp) throws Exception {
    ReferenceModel ref = ReferenceModel.load("tiny-llama");
    try (LLM llm = llm(classifier(tmp.resolve("three"), 3))) {
      assertSoftmaxOfTheFirstThreeLogits(llm, ref);
      var e = assertThrows(InvalidParameterException.class, () -> llm.generate(List.of(PromptInput.tokens(List.of(1, 2))),
          SamplingParams.builder().maxTokens(2).build()));
      assertTrue(e.getMessage().contains("sequence classifier"), e.getMessage());
    }
  }

  @Test
  void gptStyleBodiesClassifyToo(@TempDir Path tmp) throws Exception {
    ReferenceModel ref = ReferenceModel.load("tiny-gptneox");
    try (LLM llm = llm(classifier(tmp.resolve("neox"), 3, "tiny-gptneox", "embed_out.weight",
        "GPTNeoXForSequenceClassification"))) {
      assertSoftmaxOfTheFirstThreeLogits(llm, ref);
    }
  }

  /** Each reference case's class probabilities: the softmax of transformers' logits of tokens 0-2. */
  private static void assertSoftmaxOfTheFirstThreeLogits(LLM llm, ReferenceModel ref) {
    for (ReferenceModel.Case c : ref.cases()) {
      List<Double> probs = llm.classify(List.of(PromptInput.tokens(Arrays.stream(c.promptIds()).boxed().toList())))
          .getFirst().outputs().probs();
      double[] want = Arrays.copyOf(c.lastLogits(), 3);
      double sum = 0;
      for (double v : want) sum += Math.exp(v);
      for (int k = 0; k < 3; k++) assertEquals(Math.exp(want[k]) / sum, probs.get(k), 1e-4, "class " + k);
    }
  }

  @Test
  void oneClassIsTheSigmoidOfItsLogit(@TempDir Path tmp) throws Exception {
    ReferenceModel ref = ReferenceModel.load("tiny-llama");
    ReferenceModel.Case c = ref.cases().get(1);
    try (LLM llm = llm(classifier(tmp.resolve("one"), 1))) {
      double p = llm.classify(List.of(PromptInput.tokens(Arrays.stream(c.promptIds()).boxed().toList())))
          .getFirst().outputs().probs().getFirst();
      assertEquals(1 / (1 + Math.exp(-c.lastLogits()[0])), p, 1e-4);
    }
  }

  @Test
  void aCausalModelDoesNotClassify() throws Exception {
    try (LLM llm = llm(ReferenceModel.load("tiny-llama").dir())) {
      var e = assertThrows(InvalidParameterException.class, () -> llm.classify(List.of(PromptInput.tokens(List.of(1, 2)))));
      assertTrue(e.getMessage().contains("sequence classifier"), e.getMessage());
    }
  }
}
