package dev.barista.cuda.runner;

/**
 * The system properties that choose how the CUDA runner's small decode steps run, read once per
 * runner: {@value #FUSED_DECODE} (default true) sends steps of 1-2 tokens through the fused GEMV
 * kernels instead of cuBLAS and separate norm/activation kernels; {@value #PDL} (default true)
 * launches kernels as programmatic dependent launches on GPUs that have them (sm_90+), so each
 * kernel's start overlaps the end of the one before; {@value #PERSISTENT_DECODE} (default auto)
 * runs one-token steps of models with large layers through the persistent decode kernel, and
 * {@value #PERSISTENT_MULTI_TOKEN} (default true) steps of two one-token sequences too;
 * {@value #PERSISTENT_TRACE} makes that kernel record where its time goes. They change speed, not
 * results beyond summation order (see docs/benchmarks.md for the measurements behind the defaults).
 */
public final class DecodeSwitches {
  public static final String FUSED_DECODE = "barista.cuda.fusedDecode";
  public static final String PDL = "barista.cuda.pdl";
  public static final String PERSISTENT_DECODE = "barista.cuda.persistentDecode";
  public static final String PERSISTENT_TRACE = "barista.cuda.persistentTrace";
  public static final String PERSISTENT_ONE_LAYER_WEIGHTS = "barista.cuda.persistentOneLayerWeights";
  public static final String PERSISTENT_MULTI_TOKEN = "barista.cuda.persistentMultiToken";

  private DecodeSwitches() {}

  public static boolean fusedDecode() {
    return flag(FUSED_DECODE, System.getProperty(FUSED_DECODE));
  }

  public static boolean programmaticLaunches() {
    return flag(PDL, System.getProperty(PDL));
  }

  /** How one-token decode steps choose the persistent decode kernel (see PersistentDecode). */
  public enum Persistent {
    /** When the model's layers are large enough that it was measured faster ({@code PersistentDecode.prefers}). */
    AUTO,
    ON,
    OFF
  }

  /**
   * {@value #PERSISTENT_DECODE}: {@code auto} (the default), {@code true} or {@code false};
   * anything else is a clear error.
   */
  public static Persistent persistentDecode() {
    return persistent(System.getProperty(PERSISTENT_DECODE));
  }

  static Persistent persistent(String value) {
    if (value == null || value.isBlank() || value.equals("auto")) return Persistent.AUTO;
    if (value.equals("true")) return Persistent.ON;
    if (value.equals("false")) return Persistent.OFF;
    throw new IllegalArgumentException("-D" + PERSISTENT_DECODE + " takes auto, true or false, not '" + value + "'");
  }

  /** Whether the persistent kernel records clock stamps of its phases ({@value #PERSISTENT_TRACE}, default false). */
  public static boolean persistentTrace() {
    return flag(PERSISTENT_TRACE, System.getProperty(PERSISTENT_TRACE), false);
  }

  /**
   * A measurement switch ({@value #PERSISTENT_ONE_LAYER_WEIGHTS}, default false): every layer of the
   * persistent kernel reads the first layer's weights, which then stay in L2, so a timed step shows
   * what the kernel's chain costs without its HBM weight stream. The outputs are meaningless.
   */
  public static boolean persistentOneLayerWeights() {
    return flag(PERSISTENT_ONE_LAYER_WEIGHTS, System.getProperty(PERSISTENT_ONE_LAYER_WEIGHTS), false);
  }

  /**
   * Whether steps of two one-token sequences also take the persistent kernel where it takes the
   * model ({@value #PERSISTENT_MULTI_TOKEN}, default true; see PersistentDecode.MAX_TOKENS).
   */
  public static boolean persistentMultiToken() {
    return flag(PERSISTENT_MULTI_TOKEN, System.getProperty(PERSISTENT_MULTI_TOKEN));
  }

  /** Unset or blank is true; otherwise true or false, anything else a clear error. */
  static boolean flag(String property, String value) {
    return flag(property, value, true);
  }

  /** Unset or blank is the default; otherwise true or false, anything else a clear error. */
  static boolean flag(String property, String value, boolean unset) {
    if (value == null || value.isBlank()) return unset;
    if (value.equals("true")) return true;
    if (value.equals("false")) return false;
    throw new IllegalArgumentException("-D" + property + " takes true or false, not '" + value + "'");
  }
}
