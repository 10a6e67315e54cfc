package dev.barista.apps.spec;

/** Environment variable names a POSIX shell accepts. */
final class EnvNames {
  private EnvNames() {}

  static void check(String field, String name) {
    if (name == null || !name.matches("[A-Za-z_][A-Za-z0-9_]*"))
      throw new AppValidationException(field, "'" + name + "' is not an environment variable name");
  }
}
