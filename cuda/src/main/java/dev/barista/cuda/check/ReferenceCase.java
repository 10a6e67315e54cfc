package dev.barista.cuda.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One case of a reference model's reference.json (Hugging Face transformers, float64). */
record ReferenceCase(int[] promptIds, double[] firstPositionLogits, double[] lastLogits, int[] greedyIds,
    double[] greedyMargins) {

  /** The checkpoint's dtype as reference.json records it (float32, float16, bfloat16). */
  static String dtype(Path modelDir) throws IOException {
    return new ObjectMapper().readTree(modelDir.resolve("reference.json").toFile()).get("dtype").asText();
  }

  /** The reference's model name (reference.json's "model"), e.g. tiny-llama. */
  static String modelName(Path modelDir) throws IOException {
    return new ObjectMapper().readTree(modelDir.resolve("reference.json").toFile()).get("model").asText();
  }

  static List<ReferenceCase> load(Path modelDir) throws IOException {
    JsonNode root = new ObjectMapper().readTree(modelDir.resolve("reference.json").toFile());
    List<ReferenceCase> out = new ArrayList<>();
    for (JsonNode c : root.get("cases")) {
      out.add(new ReferenceCase(ints(c.get("prompt_ids")), doubles(c.get("first_position_logits")),
          doubles(c.get("last_logits")), ints(c.get("greedy_ids")), doubles(c.get("greedy_margins"))));
    }
    return out;
  }

  private static int[] ints(JsonNode a) {
    int[] out = new int[a.size()];
    for (int i = 0; i < out.length; i++) out[i] = a.get(i).asInt();
    return out;
  }

  private static double[] doubles(JsonNode a) {
    double[] out = new double[a.size()];
    for (int i = 0; i < out.length; i++) out[i] = a.get(i).asDouble();
    return out;
  }

  static double[] logSoftmax(double[] logits) {
    double max = Double.NEGATIVE_INFINITY;
    for (double l : logits) max = Math.max(max, l);
    double sum = 0;
    for (double l : logits) sum += Math.exp(l - max);
    double lse = max + Math.log(sum);
    double[] out = new double[logits.length];
    for (int i = 0; i < out.length; i++) out[i] = logits[i] - lse;
    return out;
  }
}
