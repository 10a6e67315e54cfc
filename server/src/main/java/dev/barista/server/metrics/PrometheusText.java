package dev.barista.server.metrics;

/** Small helpers for Prometheus' text exposition format (version 0.0.4). */
public final class PrometheusText {
  private PrometheusText() {}

  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  public static void header(StringBuilder out, String name, String type, String help) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  public static void sample(StringBuilder out, String name, String labels, double value) {
    out.append(name).append('{').append(labels).append("} ").append(number(value)).append('\n');
  }

  /** A label value with backslash, quote and newline escaped. */
  public static String label(String key, String value) {
    String v = value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    return key + "=\"" + v + "\"";
  }

  static String number(double v) {
    if (Double.isNaN(v)) return "NaN";
    if (Double.isInfinite(v)) return v > 0 ? "+Inf" : "-Inf";
    return Double.toString(v);
  }
}
