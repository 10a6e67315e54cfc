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

  /**
   * The bytes of a tensor stored as uint8 (safetensors U8: MXFP4 blocks and scales), checked to have
   * {@code expectedShape}; sources that hold no such tensors refuse.
   *
   * @throws MissingTensorException if absent
   * @throws TensorShapeException if its shape differs
   * @throws UnsupportedDtypeException if not stored as U8, or the source has no byte tensors
   */
  default java.lang.foreign.MemorySegment loadBytes(String name, long... expectedShape) {
    throw new UnsupportedDtypeException(name + ": this weight source holds no uint8 tensors");
  }

  /** Whether a tensor of this name exists (e.g. an optional lm_head.weight). */
  boolean contains(String name);

  @Override
  void close();
}
