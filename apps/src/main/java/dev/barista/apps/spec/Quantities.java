package dev.barista.apps.spec;

import java.util.regex.Pattern;

/** Kubernetes-style resource quantities: "2", "500m" CPUs; "16Gi", "512Mi", "1G" bytes. */
final class Quantities {
  private static final Pattern CPU = Pattern.compile("\\d+(\\.\\d+)?m?");
  private static final Pattern BYTES = Pattern.compile("\\d+(\\.\\d+)?(Ki|Mi|Gi|Ti|Pi|k|K|M|G|T|P)?");

  private Quantities() {}

  static String cpu(String field, String value) {
    if (value == null) return null;
    String v = value.trim();
    if (!CPU.matcher(v).matches() || Double.parseDouble(v.replace("m", "")) <= 0)
      throw new AppValidationException(field, "'" + value + "' is not a CPU quantity (e.g. 2, 0.5, 500m)");
    return v;
  }

  static String bytes(String field, String value) {
    if (value == null) return null;
    String v = value.trim();
    if (!BYTES.matcher(v).matches())
      throw new AppValidationException(field, "'" + value + "' is not a size (e.g. 16Gi, 512Mi, 1G)");
    return v;
  }
}
