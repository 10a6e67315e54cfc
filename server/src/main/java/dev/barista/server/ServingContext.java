package dev.barista.server;

import dev.barista.server.metrics.ServerMetrics;
import dev.barista.server.tools.ToolCallParser;
import dev.barista.server.tools.ToolCallParsers;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Everything the endpoints share: the model, its served names, the tool-call parser (null when
 * --tool-call-parser was not given), metrics and request ids.
 */
public record ServingContext(ModelBackend backend, ServedModels models, ToolCallParser toolParser,
    boolean enableAutoToolChoice, ServerMetrics metrics, boolean logRequests) {

  private static final AtomicLong SEQUENCE = new AtomicLong();

  /** The context `barista serve` and run-batch use, from the server options. */
  public static ServingContext create(ModelBackend backend, ServerOptions options,
      String modelRoot) {
    if (options.enableAutoToolChoice() && options.toolCallParser() == null) {
      throw new IllegalArgumentException("--enable-auto-tool-choice requires --tool-call-parser");
    }
    ServedModels models = new ServedModels(options.servedModelNames(), modelRoot);
    ServerMetrics metrics = new ServerMetrics(models.primary(), backend::engineGauges);
    return new ServingContext(backend, models,
        options.toolCallParser() == null ? null : ToolCallParsers.byName(options.toolCallParser()),
        options.enableAutoToolChoice(), metrics, !options.disableLogRequests());
  }

  /** A fresh id such as "cmpl-1f3a...-7" (random part so ids differ across restarts). */
  public static String newId(String prefix) {
    return prefix + "-" + Long.toHexString(Double.doubleToLongBits(Math.random()))
        + Long.toString(SEQUENCE.incrementAndGet(), 36);
  }

  public void log(String line) {
    if (logRequests) System.err.println(line);
  }
}
