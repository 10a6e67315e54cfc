package dev.barista.engine.model;

import dev.barista.engine.weights.DType;

/**
 * How to load a model folder.
 *
 * @param loadFormat safetensors from the folder, or dummy random weights from config.json alone
 * @param dtype dtype of dummy weights; null means config.json's torch_dtype. Real weights are
 *     always read in place in their stored dtype (and computed in f32), so this does not cast them.
 * @param seed seed of dummy weights
 */
public record LoadOptions(LoadFormat loadFormat, DType dtype, long seed) {

  public static LoadOptions auto() {
    return new LoadOptions(LoadFormat.AUTO, null, 0);
  }

  public static LoadOptions dummy(long seed) {
    return new LoadOptions(LoadFormat.DUMMY, null, seed);
  }
}
