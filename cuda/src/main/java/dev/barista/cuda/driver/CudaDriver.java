package dev.barista.cuda.driver;

import static dev.barista.cuda.driver.Native.INT;
import static dev.barista.cuda.driver.Native.LONG;
import static dev.barista.cuda.driver.Native.PTR;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The CUDA driver API calls Barista uses, bound once through FFM. Handles (contexts, streams,
 * modules, functions, graphs) are passed around as raw addresses ({@code long}); device pointers
 * are {@code CUdeviceptr} values. Every non-zero result becomes a {@link CudaException} naming the
 * call and CUDA's error string.
 */
public final class CudaDriver {
  private static volatile CudaDriver instance;

  private final MethodHandle cuGetErrorName;
  private final MethodHandle cuGetErrorString;
  private final MethodHandle cuInit;
  private final MethodHandle cuDriverGetVersion;
  private final MethodHandle cuDeviceGetCount;
  private final MethodHandle cuDeviceGet;
  private final MethodHandle cuDeviceGetName;
  private final MethodHandle cuDeviceGetAttribute;
  private final MethodHandle cuDevicePrimaryCtxRetain;
  private final MethodHandle cuCtxSetCurrent;
  private final MethodHandle cuCtxSynchronize;
  private final MethodHandle cuMemGetInfo;
  private final MethodHandle cuMemAlloc;
  private final MethodHandle cuMemFree;
  private final MethodHandle cuMemAllocHost;
  private final MethodHandle cuMemFreeHost;
  private final MethodHandle cuMemcpyHtoD;
  private final MethodHandle cuMemcpyDtoH;
  private final MethodHandle cuMemcpyHtoDAsync;
  private final MethodHandle cuMemcpyDtoHAsync;
  private final MethodHandle cuMemcpyDtoDAsync;
  private final MethodHandle cuMemsetD8Async;
  private final MethodHandle cuModuleLoadData;
  private final MethodHandle cuModuleGetFunction;
  private final MethodHandle cuFuncSetAttribute;
  private final MethodHandle cuLaunchKernel;
  private final MethodHandle cuLaunchKernelEx;
  private final MethodHandle cuStreamCreate;
  private final MethodHandle cuStreamSynchronize;
  private final MethodHandle cuEventCreate;
  private final MethodHandle cuEventRecord;
  private final MethodHandle cuEventSynchronize;
  private final MethodHandle cuEventElapsedTime;
  private final MethodHandle cuStreamBeginCapture;
  private final MethodHandle cuStreamEndCapture;
  private final MethodHandle cuGraphInstantiate;
  private final MethodHandle cuGraphLaunch;
  private final MethodHandle cuGraphDestroy;
  private final MethodHandle cuGraphExecDestroy;

  private CudaDriver(Native n) {
    cuGetErrorName = n.status("cuGetErrorName", INT, PTR);
    cuGetErrorString = n.status("cuGetErrorString", INT, PTR);
    cuInit = n.status("cuInit", INT);
    cuDriverGetVersion = n.status("cuDriverGetVersion", PTR);
    cuDeviceGetCount = n.status("cuDeviceGetCount", PTR);
    cuDeviceGet = n.status("cuDeviceGet", PTR, INT);
    cuDeviceGetName = n.status("cuDeviceGetName", PTR, INT, INT);
    cuDeviceGetAttribute = n.status("cuDeviceGetAttribute", PTR, INT, INT);
    cuDevicePrimaryCtxRetain = n.status("cuDevicePrimaryCtxRetain", PTR, INT);
    cuCtxSetCurrent = n.status("cuCtxSetCurrent", PTR);
    cuCtxSynchronize = n.status("cuCtxSynchronize");
    cuMemGetInfo = n.status("cuMemGetInfo_v2", PTR, PTR);
    cuMemAlloc = n.status("cuMemAlloc_v2", PTR, LONG);
    cuMemFree = n.status("cuMemFree_v2", LONG);
    cuMemAllocHost = n.status("cuMemAllocHost_v2", PTR, LONG);
    cuMemFreeHost = n.status("cuMemFreeHost", PTR);
    cuMemcpyHtoD = n.status("cuMemcpyHtoD_v2", LONG, PTR, LONG);
    cuMemcpyDtoH = n.status("cuMemcpyDtoH_v2", PTR, LONG, LONG);
    cuMemcpyHtoDAsync = n.fastStatus("cuMemcpyHtoDAsync_v2", LONG, PTR, LONG, PTR);
    cuMemcpyDtoHAsync = n.fastStatus("cuMemcpyDtoHAsync_v2", PTR, LONG, LONG, PTR);
    cuMemcpyDtoDAsync = n.fastStatus("cuMemcpyDtoDAsync_v2", LONG, LONG, LONG, PTR);
    cuMemsetD8Async = n.fastStatus("cuMemsetD8Async", LONG, ValueLayout.JAVA_BYTE, LONG, PTR);
    cuModuleLoadData = n.status("cuModuleLoadData", PTR, PTR);
    cuModuleGetFunction = n.status("cuModuleGetFunction", PTR, PTR, PTR);
    cuFuncSetAttribute = n.status("cuFuncSetAttribute", PTR, INT, INT);
    cuLaunchKernel =
        n.fastStatus(
            "cuLaunchKernel", PTR, INT, INT, INT, INT, INT, INT, INT, PTR, PTR, PTR);
    cuLaunchKernelEx = n.fastStatus("cuLaunchKernelEx", PTR, PTR, PTR, PTR);
    cuStreamCreate = n.status("cuStreamCreate", PTR, INT);
    cuStreamSynchronize = n.status("cuStreamSynchronize", PTR);
    cuEventCreate = n.status("cuEventCreate", PTR, INT);
    cuEventRecord = n.fastStatus("cuEventRecord", PTR, PTR);
    cuEventSynchronize = n.status("cuEventSynchronize", PTR);
    cuEventElapsedTime = n.status("cuEventElapsedTime_v2", PTR, PTR, PTR);
    cuStreamBeginCapture = n.status("cuStreamBeginCapture_v2", PTR, INT);
    cuStreamEndCapture = n.status("cuStreamEndCapture", PTR, PTR);
    cuGraphInstantiate = n.status("cuGraphInstantiateWithFlags", PTR, PTR, LONG);
    cuGraphLaunch = n.fastStatus("cuGraphLaunch", PTR, PTR);
    cuGraphDestroy = n.status("cuGraphDestroy", PTR);
    cuGraphExecDestroy = n.status("cuGraphExecDestroy", PTR);
  }

  /** The bound driver, initialised (cuInit) on first use; throws where there is none. */
  public static CudaDriver get() {
    CudaDriver d = instance;
    if (d != null) return d;
    synchronized (CudaDriver.class) {
      if (instance == null) {
        var lookup = NativeLibraries.load("libcuda.so.1", Arena.global());
        CudaDriver driver = new CudaDriver(new Native(lookup, "libcuda.so.1"));
        driver.check("cuInit", driver.call(driver.cuInit, 0));
        instance = driver;
      }
      return instance;
    }
  }

  /** True when a driver loads and reports at least one GPU; never throws. */
  public static boolean isAvailable() {
    try {
      return get().deviceCount() > 0;
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  /** Why {@link #isAvailable} is false, in one line, or null when a GPU is there. */
  public static String unavailableReason() {
    try {
      return get().deviceCount() > 0 ? null : "the CUDA driver reports no GPU";
    } catch (RuntimeException | LinkageError e) {
      return e.getMessage();
    }
  }

  // ---- errors

  void check(String call, int rc) {
    if (rc == 0) return;
    String name = errorText(cuGetErrorName, rc);
    String text = errorText(cuGetErrorString, rc);
    if (rc == 100 || rc == 35 || rc == 999 && "cuInit".equals(call)) {
      throw new CudaUnavailableException(call + " failed: " + name + " (" + rc + "): " + text);
    }
    throw new CudaException(call, rc, name, text);
  }

  private String errorText(MethodHandle h, int rc) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment out = a.allocate(PTR);
      int r = (int) h.invokeExact(rc, out);
      if (r != 0) return "unknown error";
      return out.get(PTR, 0).reinterpret(4096).getString(0);
    } catch (Throwable t) {
      return "unknown error";
    }
  }

  private int call(MethodHandle h, Object... args) {
    try {
      return (int) h.invokeWithArguments(args);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  private static MemorySegment ptr(long address) {
    return MemorySegment.ofAddress(address);
  }

  // ---- device and context

  public int driverVersion() {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment v = a.allocate(INT);
      check("cuDriverGetVersion", call(cuDriverGetVersion, v));
      return v.get(INT, 0);
    }
  }

  public int deviceCount() {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment v = a.allocate(INT);
      check("cuDeviceGetCount", call(cuDeviceGetCount, v));
      return v.get(INT, 0);
    }
  }

  public int device(int ordinal) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment v = a.allocate(INT);
      check("cuDeviceGet", call(cuDeviceGet, v, ordinal));
      return v.get(INT, 0);
    }
  }

  public String deviceName(int device) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment v = a.allocate(256);
      check("cuDeviceGetName", call(cuDeviceGetName, v, 256, device));
      return v.getString(0);
    }
  }

  /** {@code cuDeviceGetAttribute}; see {@link DeviceAttribute} for the numbers used. */
  public int attribute(int attribute, int device) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment v = a.allocate(INT);
      check("cuDeviceGetAttribute", call(cuDeviceGetAttribute, v, attribute, device));
      return v.get(INT, 0);
    }
  }

  /** Retains the device's primary context and makes it current on this thread. */
  public long retainPrimaryContext(int device) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment v = a.allocate(PTR);
      check("cuDevicePrimaryCtxRetain", call(cuDevicePrimaryCtxRetain, v, device));
      long ctx = v.get(PTR, 0).address();
      setCurrent(ctx);
      return ctx;
    }
  }

  public void setCurrent(long context) {
    check("cuCtxSetCurrent", call(cuCtxSetCurrent, ptr(context)));
  }

  public void synchronize() {
    check("cuCtxSynchronize", call(cuCtxSynchronize));
  }

  /** Free and total device memory in bytes: {@code [free, total]}. */
  public long[] memoryInfo() {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment f = a.allocate(LONG);
      MemorySegment t = a.allocate(LONG);
      check("cuMemGetInfo", call(cuMemGetInfo, f, t));
      return new long[] {f.get(LONG, 0), t.get(LONG, 0)};
    }
  }

  // ---- memory

  public long malloc(long bytes) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment v = a.allocate(LONG);
      check("cuMemAlloc(" + bytes + " bytes)", call(cuMemAlloc, v, Math.max(bytes, 1)));
      return v.get(LONG, 0);
    }
  }

  public void free(long devicePtr) {
    check("cuMemFree", call(cuMemFree, devicePtr));
  }

  /** Page-locked host memory, so that async copies really are asynchronous. */
  public MemorySegment mallocHost(long bytes) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment v = a.allocate(PTR);
      check("cuMemAllocHost(" + bytes + " bytes)", call(cuMemAllocHost, v, bytes));
      return v.get(PTR, 0).reinterpret(bytes);
    }
  }

  public void freeHost(MemorySegment host) {
    check("cuMemFreeHost", call(cuMemFreeHost, host));
  }

  public void copyToDevice(long dst, MemorySegment src, long bytes) {
    check("cuMemcpyHtoD", call(cuMemcpyHtoD, dst, src, bytes));
  }

  public void copyToHost(MemorySegment dst, long src, long bytes) {
    check("cuMemcpyDtoH", call(cuMemcpyDtoH, dst, src, bytes));
  }

  public void copyToDeviceAsync(long dst, MemorySegment src, long bytes, long stream) {
    int rc;
    try {
      rc = (int) cuMemcpyHtoDAsync.invokeExact(dst, src, bytes, ptr(stream));
    } catch (Throwable t) {
      throw rethrow(t);
    }
    check("cuMemcpyHtoDAsync", rc);
  }

  public void copyToHostAsync(MemorySegment dst, long src, long bytes, long stream) {
    int rc;
    try {
      rc = (int) cuMemcpyDtoHAsync.invokeExact(dst, src, bytes, ptr(stream));
    } catch (Throwable t) {
      throw rethrow(t);
    }
    check("cuMemcpyDtoHAsync", rc);
  }

  public void copyDeviceAsync(long dst, long src, long bytes, long stream) {
    int rc;
    try {
      rc = (int) cuMemcpyDtoDAsync.invokeExact(dst, src, bytes, ptr(stream));
    } catch (Throwable t) {
      throw rethrow(t);
    }
    check("cuMemcpyDtoDAsync", rc);
  }

  public void memsetAsync(long dst, byte value, long bytes, long stream) {
    int rc;
    try {
      rc = (int) cuMemsetD8Async.invokeExact(dst, value, bytes, ptr(stream));
    } catch (Throwable t) {
      throw rethrow(t);
    }
    check("cuMemsetD8Async", rc);
  }

  // ---- modules and launches

  /** Loads a cubin, PTX or fatbin image; the image must stay valid only during the call. */
  public long loadModule(MemorySegment image) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment v = a.allocate(PTR);
      check("cuModuleLoadData", call(cuModuleLoadData, v, image));
      return v.get(PTR, 0).address();
    }
  }

  public long function(long module, String name) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment v = a.allocate(PTR);
      check("cuModuleGetFunction(" + name + ")", call(cuModuleGetFunction, v, ptr(module), a.allocateFrom(name)));
      return v.get(PTR, 0).address();
    }
  }

  public void setFunctionAttribute(long function, int attribute, int value) {
    check("cuFuncSetAttribute", call(cuFuncSetAttribute, ptr(function), attribute, value));
  }

  /** {@code cuLaunchKernel} with packed parameters (see {@code KernelArgs}). */
  public void launch(
      long function, int gx, int gy, int gz, int bx, int by, int bz, int sharedBytes, long stream,
      MemorySegment params, String name) {
    int rc;
    try {
      rc =
          (int)
              cuLaunchKernel.invokeExact(
                  ptr(function), gx, gy, gz, bx, by, bz, sharedBytes, ptr(stream), params,
                  MemorySegment.NULL);
    } catch (Throwable t) {
      throw rethrow(t);
    }
    if (rc != 0) check("cuLaunchKernel(" + name + ")", rc);
  }

  /**
   * {@code cuLaunchKernelEx} with a filled {@code CUlaunchConfig} (see {@code LaunchConfig}): the
   * launch of a kernel with attributes such as programmatic stream serialization.
   */
  public void launchEx(long function, MemorySegment config, MemorySegment params, String name) {
    int rc;
    try {
      rc = (int) cuLaunchKernelEx.invokeExact(config, ptr(function), params, MemorySegment.NULL);
    } catch (Throwable t) {
      throw rethrow(t);
    }
    if (rc != 0) check("cuLaunchKernelEx(" + name + ")", rc);
  }

  // ---- streams, events, graphs

  public long createStream() {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment v = a.allocate(PTR);
      check("cuStreamCreate", call(cuStreamCreate, v, 1)); // CU_STREAM_NON_BLOCKING
      return v.get(PTR, 0).address();
    }
  }

  public void synchronize(long stream) {
    check("cuStreamSynchronize", call(cuStreamSynchronize, ptr(stream)));
  }

  public long createEvent() {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment v = a.allocate(PTR);
      check("cuEventCreate", call(cuEventCreate, v, 0));
      return v.get(PTR, 0).address();
    }
  }

  public void record(long event, long stream) {
    int rc;
    try {
      rc = (int) cuEventRecord.invokeExact(ptr(event), ptr(stream));
    } catch (Throwable t) {
      throw rethrow(t);
    }
    check("cuEventRecord", rc);
  }

  public void synchronizeEvent(long event) {
    check("cuEventSynchronize", call(cuEventSynchronize, ptr(event)));
  }

  public float elapsedMillis(long start, long end) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment v = a.allocate(Native.FLOAT);
      check("cuEventElapsedTime", call(cuEventElapsedTime, v, ptr(start), ptr(end)));
      return v.get(Native.FLOAT, 0);
    }
  }

  /** Starts capturing the stream's work into a graph (thread-local capture mode). */
  public void beginCapture(long stream) {
    check("cuStreamBeginCapture", call(cuStreamBeginCapture, ptr(stream), 1));
  }

  /** Ends a capture and instantiates it; returns the executable graph. */
  public long endCaptureAndInstantiate(long stream) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment g = a.allocate(PTR);
      check("cuStreamEndCapture", call(cuStreamEndCapture, ptr(stream), g));
      MemorySegment exec = a.allocate(PTR);
      MemorySegment graph = g.get(PTR, 0);
      check("cuGraphInstantiate", call(cuGraphInstantiate, exec, graph, 0L));
      check("cuGraphDestroy", call(cuGraphDestroy, graph));
      return exec.get(PTR, 0).address();
    }
  }

  public void launchGraph(long graphExec, long stream) {
    int rc;
    try {
      rc = (int) cuGraphLaunch.invokeExact(ptr(graphExec), ptr(stream));
    } catch (Throwable t) {
      throw rethrow(t);
    }
    check("cuGraphLaunch", rc);
  }

  public void destroyGraph(long graphExec) {
    check("cuGraphExecDestroy", call(cuGraphExecDestroy, ptr(graphExec)));
  }

  static RuntimeException rethrow(Throwable t) {
    if (t instanceof RuntimeException r) return r;
    if (t instanceof Error e) throw e;
    return new IllegalStateException(t);
  }
}
