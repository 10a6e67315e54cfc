package dev.barista.cuda.driver;

/** No usable CUDA driver or GPU on this machine (library missing, no device, driver too old). */
public final class CudaUnavailableException extends CudaException {
  public CudaUnavailableException(String message) {
    super(message);
  }
}
