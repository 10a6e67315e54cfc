package dev.barista.engine.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A model folder from src/test/resources/models with its reference.json: logits and greedy
 * continuations computed by Hugging Face transformers in float64.
 */
public record ReferenceModel(Path dir, String dtype, List<Case> cases) {

  public record Case(int[] promptIds, double[] firstPositionLogits, double[] lastLogits,
      int[] greedyIds, double[] greedyMargins) {}

  public static Path folder(String name) {
    try {
      return Path.of(ReferenceModel.class.getResource("/models/" + name + "/config.json").toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  public static ReferenceModel load(String name) throws IOException {
    Path dir = folder(name);
    JsonNode root = new ObjectMapper().readTree(dir.resolve("reference.json").toFile());
    List<Case> cases = new ArrayList<>();
    for (JsonNode c : root.get("cases")) {
      cases.add(new Case(ints(c.get("prompt_ids")), doubles(c.get("first_position_logits")),
          doubles(c.get("last_logits")), ints(c.get("greedy_ids")), doubles(c.get("greedy_margins"))));
    }
    return new ReferenceModel(dir, root.get("dtype").asText(), cases);
  }

  /** The tolerance the issue sets for log-softmax: 1e-4 for f32 weights, 1e-3 for 16-bit ones. */
  public double tolerance() {
    return dtype.equals("float32") ? 1e-4 : 1e-3;
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

  /** log_softmax in double. */
  public static double[] logSoftmax(double[] logits) {
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
