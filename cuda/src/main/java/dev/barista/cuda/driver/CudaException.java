package dev.barista.cuda.driver;

/** A failed CUDA driver or cuBLAS call; the message names the call and CUDA's own error text. */
public class CudaException extends RuntimeException {
  private final int code;

  public CudaException(String call, int code, String name, String description) {
    super(call + " failed: " + name + " (" + code + "): " + description);
    this.code = code;
  }

  public CudaException(String message) {
    super(message);
    this.code = -1;
  }

  /** CUDA's numeric result code, or -1 where the failure has none. */
  public int code() {
    return code;
  }
}
