package dev.barista.apps.spec;

/** App names, subdomains and domains must be usable in a host name. */
final class Names {
  private static final String LABEL = "[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?";

  private Names() {}

  static String label(String field, String value) {
    if (value == null) return null;
    if (!value.matches(LABEL))
      throw new AppValidationException(
          field, "'" + value + "' must be lowercase letters, digits and '-' (at most 63, no '-' at the ends)");
    return value;
  }

  static String host(String field, String value) {
    if (value == null) return null;
    String v = value.toLowerCase();
    if (v.length() > 253 || !v.matches(LABEL + "(\\." + LABEL + ")*"))
      throw new AppValidationException(field, "'" + value + "' is not a host name");
    return v;
  }
}
