package dev.barista.apps.engine;

import dev.barista.apps.spec.AppValidationException;
import java.nio.file.Path;

/**
 * Where an engine app's weights come from: a Hugging Face repo id ({@code model_hf_path}, fetched by
 * the engine) or {@code model_path}: a local folder, a file:// URL, or a blob store prefix
 * (s3://BUCKET/PREFIX, e.g. what {@code barista prefetch hf} wrote).
 */
public record ModelSource(String hfPath, String localPath) {
  public ModelSource {
    if (hfPath == null && localPath == null)
      throw new AppValidationException("model_hf_path", "no model: set model_hf_path or model_path");
    if (hfPath != null && localPath != null)
      throw new AppValidationException("model_path", "set either model_hf_path or model_path, not both");
    if (hfPath != null && !hfPath.matches("[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)?"))
      throw new AppValidationException("model_hf_path", "'" + hfPath + "' is not a Hugging Face repo id (ORG/NAME)");
    if (localPath != null) localPath = pathOrStore(localPath);
  }

  public static ModelSource hf(String repoId) {
    return new ModelSource(repoId, null);
  }

  public static ModelSource path(String pathOrUrl) {
    return new ModelSource(null, pathOrUrl);
  }

  private static String pathOrStore(String text) {
    if (text.isBlank()) throw new AppValidationException("model_path", "must not be empty");
    if (text.startsWith("file://")) return Path.of(java.net.URI.create(text)).toString();
    if (text.startsWith("s3://")) {
      if (!text.matches("s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/.*)?"))
        throw new AppValidationException("model_path", "'" + text + "' is not an s3://BUCKET/PREFIX URI");
      return text.replaceAll("/+$", "");
    }
    if (text.matches("[A-Za-z][A-Za-z0-9+.-]*://.*"))
      throw new AppValidationException(
          "model_path", "'" + text + "': supported are local folders, file:// and s3:// URIs");
    return text;
  }

  /** Whether the model lies in a remote blob store (s3://) rather than on this machine or the hub. */
  public boolean inStore() {
    return localPath != null && localPath.startsWith("s3://");
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
