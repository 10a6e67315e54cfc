package dev.barista.engine.weights;

/**
 * Where a model's tensors come from: safetensors files, or random dummy weights. Tensors stay valid
 * until the source is closed.
 */
public interface WeightSource extends AutoCloseable {

  /**
   * The tensor named {@code name}, checked to have {@code expectedShape}.
   *
   * @throws MissingTensorException if absent
   * @throws TensorShapeException if its shape differs
   * @throws UnsupportedDtypeException if stored in a dtype we do not read
   */
  Tensor load(String name, long... expectedShape);

  /** Whether a tensor of this name exists (e.g. an optional lm_head.weight). */
  boolean contains(String name);

  @Override
  void close();
}
