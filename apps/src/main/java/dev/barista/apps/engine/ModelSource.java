package dev.barista.apps.engine;

import dev.barista.apps.spec.AppValidationException;
import java.nio.file.Path;

/**
 * Where an engine app's weights come from: a Hugging Face repo id ({@code model_hf_path}, fetched by
 * the engine) or a local folder or file ({@code model_path}: a path or file:// URL).
 */
public record ModelSource(String hfPath, String localPath) {
  public ModelSource {
    if (hfPath == null && localPath == null)
      throw new AppValidationException("model_hf_path", "no model: set model_hf_path or model_path");
    if (hfPath != null && localPath != null)
      throw new AppValidationException("model_path", "set either model_hf_path or model_path, not both");
    if (hfPath != null && !hfPath.matches("[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)?"))
      throw new AppValidationException("model_hf_path", "'" + hfPath + "' is not a Hugging Face repo id (ORG/NAME)");
    if (localPath != null) localPath = local(localPath);
  }

  public static ModelSource hf(String repoId) {
    return new ModelSource(repoId, null);
  }

  public static ModelSource path(String pathOrUrl) {
    return new ModelSource(null, pathOrUrl);
  }

  private static String local(String text) {
    if (text.isBlank()) throw new AppValidationException("model_path", "must not be empty");
    if (text.startsWith("file://")) return Path.of(java.net.URI.create(text)).toString();
    if (text.matches("[A-Za-z][A-Za-z0-9+.-]*://.*"))
      throw new AppValidationException(
          "model_path", "'" + text + "': only local folders and file:// URLs are supported for now");
    return text;
  }

  /** The MODEL argument of the engine's command line. */
  public String argument() {
    return hfPath != null ? hfPath : localPath;
  }

  /** The default served model id: the last path segment. */
  public String defaultId() {
    String a = argument().replaceAll("/+$", "");
    return a.substring(a.lastIndexOf('/') + 1);
  }
}
