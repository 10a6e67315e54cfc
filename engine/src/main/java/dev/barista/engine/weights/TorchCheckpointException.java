package dev.barista.engine.weights;

import dev.barista.engine.config.ModelLoadException;

/** A PyTorch checkpoint (pytorch_model.bin) that cannot be read; the message names the file. */
public class TorchCheckpointException extends ModelLoadException {
  public TorchCheckpointException(String message) {
    super(message);
  }

  public TorchCheckpointException(String message, Throwable cause) {
    super(message, cause);
  }
}
