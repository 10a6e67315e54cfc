package dev.barista.apps.spec;

/** GPUs for one replica: written "L40s:1", "H100:8", or just a count ("2"). */
public record GpuRequest(String type, int count) {
  public GpuRequest {
    if (count < 1) throw new AppValidationException("resources.gpu", "GPU count must be at least 1, got " + count);
    if (type != null && !type.matches("[A-Za-z0-9][A-Za-z0-9._-]*"))
      throw new AppValidationException("resources.gpu", "'" + type + "' is not a GPU type");
  }

  public static GpuRequest parse(String text) {
    String t = text.trim();
    int colon = t.lastIndexOf(':');
    String countText = colon < 0 ? t : t.substring(colon + 1);
    String type = colon < 0 ? null : t.substring(0, colon);
    if (colon < 0 && !t.matches("\\d+")) return new GpuRequest(t, 1);
    if (!countText.matches("\\d{1,4}"))
      throw new AppValidationException("resources.gpu", "'" + text + "' is not TYPE:COUNT (e.g. L40s:1)");
    return new GpuRequest(type, Integer.parseInt(countText));
  }

  @Override
  public String toString() {
    return type == null ? Integer.toString(count) : type + ":" + count;
  }
}
