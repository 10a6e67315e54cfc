package dev.barista.cuda.driver;

/** The {@code CUdevice_attribute} numbers Barista reads (values from cuda.h). */
public final class DeviceAttribute {
  private DeviceAttribute() {}

  public static final int MULTIPROCESSOR_COUNT = 16;
  public static final int COMPUTE_CAPABILITY_MAJOR = 75;
  public static final int COMPUTE_CAPABILITY_MINOR = 76;
  public static final int MAX_SHARED_MEMORY_PER_BLOCK_OPTIN = 97;
  public static final int L2_CACHE_SIZE = 38;
}
