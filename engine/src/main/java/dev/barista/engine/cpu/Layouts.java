package dev.barista.engine.cpu;

import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** Little-endian unaligned element layouts for reading weights and the KV cache. */
final class Layouts {
  static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  private Layouts() {}
}
