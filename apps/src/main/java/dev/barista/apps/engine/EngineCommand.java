package dev.barista.apps.engine;

import dev.barista.apps.spec.AppValidationException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Builds {@code ENGINE MODEL --served-model-name ID --port PORT [stream flags] [extra]} and rejects
 * extra_args that repeat a generated flag or disagree with the declared GPU count.
 */
public final class EngineCommand {
  private EngineCommand() {}

  public static List<String> build(Engine engine, EngineSettings s, int port, int gpuCount) {
    List<String> generated = new ArrayList<>(engine.prefix());
    if (engine.modelFlag() != null) generated.add(engine.modelFlag());
    generated.add(s.model().argument());
    generated.addAll(List.of("--served-model-name", s.modelId(), "--port", Integer.toString(port)));
    if (s.streamModel()) {
      if (engine.streamFlags() == null)
        throw new AppValidationException("stream_model", engine.displayName() + " apps cannot stream the model");
      generated.addAll(engine.streamFlags());
    }
    Set<String> owned = new LinkedHashSet<>(engine.modelFlags());
    owned.addAll(List.of("--served-model-name", "--port"));
    if (s.streamModel() && !engine.streamFlags().isEmpty()) owned.add(engine.streamFlags().get(0));
    rejectRepeats(s.extraArgs(), owned);
    checkTensorParallel(engine, s.extraArgs(), gpuCount);
    generated.addAll(s.extraArgs());
    return generated;
  }

  static void rejectRepeats(List<String> extra, Set<String> owned) {
    for (String arg : extra) {
      String flag = flagName(arg);
      if (owned.contains(flag))
        throw new AppValidationException("extra_args", flag + " is generated from the app's fields; remove it from extra_args");
    }
  }

  static void checkTensorParallel(Engine engine, List<String> extra, int gpuCount) {
    Integer tp = explicitTensorParallelSize(engine, extra);
    if (tp == null) return;
    if (gpuCount == 0 && tp > 1)
      throw new AppValidationException("extra_args", "tensor-parallel size " + tp + " needs resources.gpu with " + tp + " GPUs");
    if (gpuCount > 0 && tp != gpuCount)
      throw new AppValidationException(
          "extra_args", "tensor-parallel size " + tp + " differs from the GPU count " + gpuCount + " in resources.gpu");
  }

  /** The tensor-parallel size the engine runs with: as extra_args say, else 1 (every engine's default). */
  public static int tensorParallelSize(Engine engine, List<String> extra) {
    Integer tp = explicitTensorParallelSize(engine, extra);
    return tp == null ? 1 : tp;
  }

  private static Integer explicitTensorParallelSize(Engine engine, List<String> extra) {
    Integer tp = null;
    for (int i = 0; i < extra.size(); i++) {
      String arg = extra.get(i);
      if (!engine.tensorParallelFlags().contains(flagName(arg))) continue;
      String value = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : i + 1 < extra.size() ? extra.get(i + 1) : "";
      if (!value.matches("\\d{1,4}"))
        throw new AppValidationException("extra_args", flagName(arg) + " needs a number, got '" + value + "'");
      tp = Integer.parseInt(value);
    }
    return tp;
  }

  private static String flagName(String arg) {
    int eq = arg.indexOf('=');
    return arg.startsWith("-") && eq > 0 ? arg.substring(0, eq) : arg;
  }
}
