package dev.barista.hub;

import java.util.regex.Pattern;

/** A model repository on the hub, "org/name" (or a bare "name"). */
public record RepoId(String id) {

  // The hub's own rule: letters, digits, '-', '_', '.'; no leading/trailing '-'/'.'; no "--" or "..".
  private static final Pattern PART = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,95}");

  public RepoId {
    if (!isValid(id)) throw new IllegalArgumentException("not a Hugging Face repo id: '" + id + "'");
  }

  public static boolean isValid(String id) {
    if (id == null || id.contains("--") || id.contains("..") || id.endsWith(".") || id.endsWith("-"))
      return false;
    String[] parts = id.split("/", -1);
    if (parts.length > 2) return false;
    for (String p : parts) if (!PART.matcher(p).matches()) return false;
    return true;
  }

  /** The cache folder name huggingface_hub uses: models--ORG--NAME. */
  public String cacheFolderName() {
    return "models--" + id.replace("/", "--");
  }

  @Override
  public String toString() {
    return id;
  }
}
