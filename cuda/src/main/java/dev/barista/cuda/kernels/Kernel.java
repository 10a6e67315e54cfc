package dev.barista.cuda.kernels;

import dev.barista.cuda.driver.CudaDriver;

/** A resolved kernel function; launches take packed {@link KernelArgs}. */
public record Kernel(CudaDriver driver, long function, String name) {

  public void launch(int gx, int gy, int gz, int block, int sharedBytes, long stream, KernelArgs args) {
    if (args.programmatic()) {
      driver.launchEx(function, args.launchConfig().fill(gx, gy, gz, block, 1, 1, sharedBytes, stream), args.params(), name);
    } else {
      driver.launch(function, gx, gy, gz, block, 1, 1, sharedBytes, stream, args.params(), name);
    }
  }

  /** Lets a launch use more than the default 48 KiB of dynamic shared memory. */
  public void allowSharedMemory(int bytes) {
    driver.setFunctionAttribute(function, 8, bytes); // CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES
  }

  /** Asks for the largest shared-memory carveout (at the L1 cache's expense), for kernels that stage through shared memory. */
  public void preferSharedMemory() {
    driver.setFunctionAttribute(function, 9, 100); // CU_FUNC_ATTRIBUTE_PREFERRED_SHARED_MEMORY_CARVEOUT, percent
  }
}
