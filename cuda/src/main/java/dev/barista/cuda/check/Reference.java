package dev.barista.cuda.check;

import dev.barista.cuda.kernels.Bf16;
import java.util.Random;

/** Random inputs and comparison helpers for the GPU checks. */
final class Reference {
  private Reference() {}

  /** ‖out − ref‖ / ‖ref‖; any NaN in out (a poisoned, unwritten element) gives infinity. */
  static double relError(double[] out, double[] ref) {
    double num = 0, den = 0;
    for (int i = 0; i < ref.length; i++) {
      if (Double.isNaN(out[i])) return Double.POSITIVE_INFINITY;
      double e = out[i] - ref[i];
      num += e * e;
      den += ref[i] * ref[i];
    }
    return den == 0 ? (num == 0 ? 0 : Double.POSITIVE_INFINITY) : Math.sqrt(num / den);
  }

  static short[] randomBf16(Random r, int n, double scale) {
    short[] s = new short[n];
    for (int i = 0; i < n; i++) s[i] = Bf16.fromFloat((float) ((r.nextDouble() * 2 - 1) * scale));
    return s;
  }

  static double[] toDoubles(short[] bf16) {
    double[] d = new double[bf16.length];
    for (int i = 0; i < d.length; i++) d[i] = Bf16.toFloat(bf16[i]);
    return d;
  }

  static double[] toDoubles(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < d.length; i++) d[i] = f[i];
    return d;
  }

  static double roundBf(double v) {
    return Bf16.round((float) v);
  }
}
