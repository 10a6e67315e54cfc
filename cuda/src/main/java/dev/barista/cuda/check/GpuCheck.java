package dev.barista.cuda.check;

import dev.barista.cuda.driver.CuBlas;
import dev.barista.cuda.driver.CudaDriver;
import dev.barista.cuda.driver.DeviceAttribute;
import dev.barista.cuda.kernels.Kernels;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks this machine's GPU set-up: driver, cuBLAS, every kernel against a CPU reference, and the
 * timings that bound decode speed. Prints one line per check and exits non-zero on a failure.
 * Usage: java --enable-native-access=ALL-UNNAMED -cp ... dev.barista.cuda.check.GpuCheck [--no-timings]
 */
public final class GpuCheck {
  private GpuCheck() {}

  public static void main(String[] args) {
    CudaDriver d = CudaDriver.get();
    int dev = d.device(0);
    d.retainPrimaryContext(dev);
    long[] mem = d.memoryInfo();
    System.out.printf(
        "device %s, sm_%d%d, %d SMs, driver %d, %.1f GiB free of %.1f GiB%n",
        d.deviceName(dev),
        d.attribute(DeviceAttribute.COMPUTE_CAPABILITY_MAJOR, dev),
        d.attribute(DeviceAttribute.COMPUTE_CAPABILITY_MINOR, dev),
        d.attribute(DeviceAttribute.MULTIPROCESSOR_COUNT, dev),
        d.driverVersion(),
        mem[0] / 1073741824.0,
        mem[1] / 1073741824.0);
    long stream = d.createStream();
    try (Arena arena = Arena.ofShared(); CuBlas blas = new CuBlas(d, stream)) {
      Kernels k = new Kernels(d, arena);
      if (List.of(args).contains("--prefill-attention-once")) { // one launch, for a profiler
        System.out.println(new KernelTimings(d, k, blas, stream).prefillAttention(16, 512, 16, 8, false));
        return;
      }
      if (List.of(args).contains("--decode-attention-once")) { // B=256 ctx 640 through v1 and v2, for a profiler
        KernelTimings t = new KernelTimings(d, k, blas, stream);
        System.out.println(t.decodeAttention(256, 640, 16, 8, 0, false, 1));
        System.out.println(t.decodeAttention(256, 640, 16, 8, 0, true, 1));
        return;
      }
      if (List.of(args).contains("--decode-step")) { // where a batch-256 decode step and an 8192-token prefill step of the benchmark models go
        KernelTimings t = new KernelTimings(d, k, blas, stream);
        double bw = t.copyBandwidth(1L << 30);
        t.decodeStep("llama-3.1-8b", 32, 4096, 32, 8, 14336, 128256, 256, 576, bw).forEach(System.out::println);
        t.decodeStep("qwen3-0.6b", 28, 1024, 16, 8, 3072, 151936, 256, 576, bw).forEach(System.out::println);
        t.prefillStepBreakdown("llama-3.1-8b", 32, 4096, 32, 8, 14336, 16, 512, bw).forEach(System.out::println);
        t.prefillStepBreakdown("qwen3-0.6b", 28, 1024, 16, 8, 3072, 16, 512, bw).forEach(System.out::println);
        return;
      }
      if (List.of(args).contains("--decode-attention-splits")) { // 256-sequence decode attention with 1-4 splits
        KernelTimings t = new KernelTimings(d, k, blas, stream);
        t.decodeAttentionSplitSweep(t.copyBandwidth(1L << 30)).forEach(System.out::println);
        return;
      }
      if (List.of(args).contains("--gemm-offers")) { // cuBLASLt's offered algorithms against cuBLAS on prefill projections
        new KernelTimings(d, k, blas, stream).gemmOffers().forEach(System.out::println);
        return;
      }
      if (List.of(args).contains("--flash-prefill-timing")) { // the flash kernel's time, repeated: variants differ by a few %
        new KernelTimings(d, k, blas, stream).flashPrefillRepeated(7).forEach(System.out::println);
        return;
      }
      if (List.of(args).contains("--flash-prefill-once")) { // the flash kernel, for a profiler
        System.out.println(new KernelTimings(d, k, blas, stream).prefillFlashAttention(16, 512, 16, 8, false));
        return;
      }
      List<CheckResult> results = new ArrayList<>(new KernelChecks(d, k, blas, stream, System.nanoTime()).runAll());
      results.addAll(new GemvChecks(d, k, stream, System.nanoTime()).runAll());
      results.addAll(new FlashAttentionChecks(d, k, arena, stream, System.nanoTime()).runAll());
      int sms = d.attribute(DeviceAttribute.MULTIPROCESSOR_COUNT, dev);
      results.addAll(new DecodeAttentionChecks(d, k, stream, System.nanoTime(), 4 * sms).runAll());
      Kernels f32 = new Kernels(d, arena, true); // the f32 math mode's instantiations
      results.addAll(new KernelChecks(d, f32, blas, stream, System.nanoTime()).runF32());
      results.addAll(new BlasLtChecks(d, k, blas, stream, System.nanoTime()).runAll(!List.of(args).contains("--no-timings")));
      long failed = results.stream().filter(r -> !r.passed()).count();
      System.out.println("kernel checks: " + (results.size() - failed) + "/" + results.size() + " passed");
      if (!List.of(args).contains("--no-timings")) {
        new KernelTimings(d, k, blas, stream).runAll().forEach(System.out::println);
      }
      if (failed > 0) System.exit(1);
    }
  }
}
