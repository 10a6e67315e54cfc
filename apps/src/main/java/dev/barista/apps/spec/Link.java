package dev.barista.apps.spec;

/** A link shown with the app (docs, a UI page); relative links resolve against the endpoint. */
public record Link(String path, String title, boolean relative) {
  public Link {
    if (path == null || path.isBlank()) throw new AppValidationException("links", "a link needs a path");
    if (title == null) title = path;
  }
}
