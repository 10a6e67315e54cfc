package dev.barista.cuda.driver;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/** Creates downcall handles for one library; each handle is made once, at binding time. */
final class Native {
  static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
  static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
  static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT;
  static final java.lang.foreign.AddressLayout PTR = ValueLayout.ADDRESS;

  private final Linker linker = Linker.nativeLinker();
  private final SymbolLookup lookup;
  private final String library;

  Native(SymbolLookup lookup, String library) {
    this.lookup = lookup;
    this.library = library;
  }

  /** A handle for {@code int name(args...)}, the shape of every CUDA and cuBLAS call. */
  MethodHandle status(String name, MemoryLayout... args) {
    return bind(name, FunctionDescriptor.of(INT, args), false);
  }

  /** Like {@link #status} for short calls on the hot path that never block or call back. */
  MethodHandle fastStatus(String name, MemoryLayout... args) {
    return bind(name, FunctionDescriptor.of(INT, args), true);
  }

  MethodHandle bind(String name, FunctionDescriptor fd, boolean critical) {
    var symbol =
        lookup
            .find(name)
            .orElseThrow(
                () -> new CudaUnavailableException(library + " has no symbol " + name + " (too old?)"));
    return critical
        ? linker.downcallHandle(symbol, fd, Linker.Option.critical(false))
        : linker.downcallHandle(symbol, fd);
  }

  /** {@code h(args...)} for a set-up call off the hot path (boxed arguments); its int status. */
  static int call(MethodHandle h, Object... args) {
    try {
      return (int) h.invokeWithArguments(args);
    } catch (Throwable t) {
      throw CudaDriver.rethrow(t);
    }
  }

  /**
   * Throws, for a non-zero cuBLAS/cuBLASLt status, a CudaException naming {@code call} with the
   * library's own status name and description ({@code const char* f(status)} functions).
   */
  static void checkStatus(String call, int status, MethodHandle name, MethodHandle description) {
    if (status == 0) return;
    throw new CudaException(call, status, statusText(name, status), statusText(description, status));
  }

  private static String statusText(MethodHandle h, int status) {
    try {
      MemorySegment s = (MemorySegment) h.invokeExact(status);
      return s.reinterpret(4096).getString(0);
    } catch (Throwable t) {
      return "unknown status";
    }
  }
}
