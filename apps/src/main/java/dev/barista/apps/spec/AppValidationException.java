package dev.barista.apps.spec;

/** A declaration that cannot be deployed; names where it was found and the offending field. */
public final class AppValidationException extends IllegalArgumentException {
  private final String field;
  private final String detail;
  private final String where;

  public AppValidationException(String field, String detail) {
    this(field, detail, null);
  }

  private AppValidationException(String field, String detail, String where) {
    super((where == null ? "" : where + ": ")
        + (field == null || field.isEmpty() ? "" : "field '" + field + "': ")
        + detail);
    this.field = field == null ? "" : field;
    this.detail = detail;
    this.where = where;
  }

  /** The field path, e.g. {@code scaling.replicas}; empty when the error is about the whole app. */
  public String field() {
    return field;
  }

  /** The same error, prefixed with where it was found (an app, then a file). */
  public AppValidationException in(String outer) {
    return new AppValidationException(field, detail, where == null ? outer : outer + ": " + where);
  }
}
