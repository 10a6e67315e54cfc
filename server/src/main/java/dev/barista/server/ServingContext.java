package dev.barista.server;

import dev.barista.server.metrics.ServerMetrics;
import dev.barista.server.tools.ToolCallParser;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Everything the endpoints share: the model, its served names, the tool-call parser (null when
 * --tool-call-parser was not given), metrics and request ids.
 */
public record ServingContext(ModelBackend backend, ServedModels models, ToolCallParser toolParser,
    boolean enableAutoToolChoice, ServerMetrics metrics, boolean logRequests) {

  private static final AtomicLong SEQUENCE = new AtomicLong();

  /** A fresh id such as "cmpl-1f3a...-7" (random part so ids differ across restarts). */
  public static String newId(String prefix) {
    return prefix + "-" + Long.toHexString(Double.doubleToLongBits(Math.random()))
        + Long.toString(SEQUENCE.incrementAndGet(), 36);
  }

  public void log(String line) {
    if (logRequests) System.err.println(line);
  }
}
