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

  /** Its number of classes. */
  public int numClasses() {
    return probs.size();
  }
}
