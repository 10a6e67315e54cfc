package dev.barista.apps.engine;

import dev.barista.apps.spec.AppValidationException;
import java.util.List;

/** The model part of an engine app: model, served id, whether to stream weights, extra engine flags. */
public record EngineSettings(ModelSource model, String modelId, boolean streamModel, List<String> extraArgs) {
  public EngineSettings {
    if (model == null) throw new AppValidationException("model_hf_path", "no model: set model_hf_path or model_path");
    if (modelId == null) modelId = model.defaultId();
    if (modelId.isBlank() || modelId.chars().anyMatch(Character::isWhitespace))
      throw new AppValidationException("model_id", "'" + modelId + "' must be non-empty without spaces");
    extraArgs = List.copyOf(extraArgs == null ? List.of() : extraArgs);
  }

  /** extra_args written as one string: split like a shell would. */
  public static List<String> splitExtraArgs(String text) {
    return ShellWords.split("extra_args", text);
  }
}
