package dev.barista.engine.api;

import java.util.List;

/**
 * vLLM's ClassificationOutput: the class probabilities (softmax over the classes, or the sigmoid of
 * a single class's logit).
 */
public record ClassificationOutput(List<Double> probs) {
  public ClassificationOutput {
    probs = List.copyOf(probs);
  }

  /** The score head {@code head} [num_labels, hidden] over a pooled state, as probabilities. */
  public static ClassificationOutput of(dev.barista.engine.weights.Tensor head, float[] pooled) {
    double[] logits = new double[head.rows()];
    for (int c = 0; c < logits.length; c++) {
      for (int j = 0; j < pooled.length; j++) logits[c] += head.get((long) c * pooled.length + j) * pooled[j];
    }
    if (logits.length == 1) return new ClassificationOutput(List.of(1 / (1 + Math.exp(-logits[0]))));
    double max = Double.NEGATIVE_INFINITY;
    for (double v : logits) max = Math.max(max, v);
    double sum = 0;
    for (double v : logits) sum += Math.exp(v - max);
    List<Double> probs = new java.util.ArrayList<>(logits.length);
    for (double v : logits) probs.add(Math.exp(v - max) / sum);
    return new ClassificationOutput(probs);
  }

  /** The most likely class. */
  public int predicted() {
    int best = 0;
    for (int i = 1; i < probs.size(); i++) if (probs.get(i) > probs.get(best)) best = i;
    return best;
  }

  /** Its number of classes. */
  public int numClasses() {
    return probs.size();
  }
}
