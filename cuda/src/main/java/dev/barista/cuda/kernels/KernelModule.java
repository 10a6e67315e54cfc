package dev.barista.cuda.kernels;

import dev.barista.cuda.driver.CudaDriver;
import dev.barista.cuda.driver.CudaException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * One compiled kernel image (a fatbin with sm_90a machine code and PTX for other GPUs) shipped as
 * a class-path resource and loaded with {@code cuModuleLoadData}.
 */
public final class KernelModule {
  static final String RESOURCE_DIR = "/dev/barista/cuda/kernels/";

  private final CudaDriver driver;
  private final long module;
  private final String name;

  private KernelModule(CudaDriver driver, long module, String name) {
    this.driver = driver;
    this.module = module;
    this.name = name;
  }

  /** Loads {@code <name>.fatbin} from the class path into the current context. */
  public static KernelModule load(CudaDriver driver, String name) {
    byte[] image = readResource(name + ".fatbin");
    try (Arena a = Arena.ofConfined()) {
      MemorySegment seg = a.allocate(image.length + 1L, 16);
      MemorySegment.copy(image, 0, seg, ValueLayout.JAVA_BYTE, 0, image.length);
      return new KernelModule(driver, driver.loadModule(seg), name);
    }
  }

  static byte[] readResource(String file) {
    try (InputStream in = KernelModule.class.getResourceAsStream(RESOURCE_DIR + file)) {
      if (in == null) throw new CudaException("kernel image " + file + " is missing from the class path");
      return in.readAllBytes();
    } catch (IOException e) {
      throw new CudaException("cannot read kernel image " + file + ": " + e.getMessage());
    }
  }

  public Kernel kernel(String function) {
    return new Kernel(driver, driver.function(module, function), name + "." + function);
  }
}
