package dev.barista.cuda.driver;

import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the NVIDIA shared libraries. The driver (libcuda.so.1) is on the loader path wherever a
 * driver is installed; cuBLAS usually is not, so its usual install folders are tried too.
 */
final class NativeLibraries {
  private NativeLibraries() {}

  /** Folders searched for toolkit libraries after the loader path; BARISTA_CUDA_LIB comes first. */
  static List<Path> toolkitFolders() {
    List<Path> dirs = new ArrayList<>();
    String env = System.getenv("BARISTA_CUDA_LIB");
    if (env != null && !env.isBlank()) dirs.add(Path.of(env));
    for (String d :
        List.of(
            "/usr/local/cuda/lib64",
            "/usr/local/cuda-13/lib64",
            "/usr/local/cuda-13.0/lib64",
            "/usr/local/cuda/targets/x86_64-linux/lib",
            "/usr/lib/x86_64-linux-gnu")) {
      dirs.add(Path.of(d));
    }
    return dirs;
  }

  /** Loads {@code soname}, first from the folders above, then through the loader path. */
  static SymbolLookup load(String soname, Arena arena) {
    for (Path dir : toolkitFolders()) {
      Path p = dir.resolve(soname);
      if (Files.isRegularFile(p)) return SymbolLookup.libraryLookup(p, arena);
    }
    try {
      return SymbolLookup.libraryLookup(soname, arena);
    } catch (IllegalArgumentException e) {
      throw new CudaUnavailableException(
          "cannot load " + soname + " (set BARISTA_CUDA_LIB to the folder holding it)");
    }
  }
}
