package dev.barista.cuda.kernels;

import dev.barista.engine.model.RopeFrequencies;

/**
 * The rotary frequencies as the kernels read them (qkv_head.cuh, RopeFromFreq): a header of
 * {@value #HEADER_FLOATS} floats holding, as int bits, the first position of the long table, the
 * pair count and 1 where pairs are interleaved (GPT-J: dimensions 2i and 2i + 1, else i and i +
 * pairs); then the table of positions below it; then the long table (longrope only).
 * The header keeps the tables 16-byte aligned.
 */
public final class RotaryTable {
  public static final int HEADER_FLOATS = 4;

  private RotaryTable() {}

  /** The model's table (its rope scaling applied), in f32. */
  public static float[] of(RopeFrequencies.Rotary rotary) {
    return of(rotary, false);
  }

  /** As above; {@code interleaved} marks GPT-J's layout of the pairs. */
  public static float[] of(RopeFrequencies.Rotary rotary, boolean interleaved) {
    float[] out = build(toFloat(rotary.table()), rotary.longTable() == null ? null : toFloat(rotary.longTable()),
        rotary.longFrom());
    out[2] = Float.intBitsToFloat(interleaved ? 1 : 0);
    return out;
  }

  /** One table for every position. */
  public static float[] single(float[] inverseFrequencies) {
    return build(inverseFrequencies, null, Integer.MAX_VALUE);
  }

  /** Positions from {@code longFrom} on take {@code longTable}. */
  public static float[] build(float[] table, float[] longTable, int longFrom) {
    if (longTable != null && longTable.length != table.length) {
      throw new IllegalArgumentException("tables of " + table.length + " and " + longTable.length + " pairs");
    }
    float[] out = new float[HEADER_FLOATS + table.length * (longTable == null ? 1 : 2)];
    out[0] = Float.intBitsToFloat(longTable == null ? Integer.MAX_VALUE : longFrom);
    out[1] = Float.intBitsToFloat(table.length);
    System.arraycopy(table, 0, out, HEADER_FLOATS, table.length);
    if (longTable != null) System.arraycopy(longTable, 0, out, HEADER_FLOATS + table.length, table.length);
    return out;
  }

  private static float[] toFloat(double[] d) {
    float[] f = new float[d.length];
    for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
    return f;
  }
}
