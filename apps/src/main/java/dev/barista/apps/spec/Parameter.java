package dev.barista.apps.spec;

/** An input of the app (Flyte's parameters/inputs): a named value given to replicas as an env var. */
public record Parameter(String name, String value, String envVar) {
  public Parameter {
    if (name == null || !name.matches("[A-Za-z_][A-Za-z0-9_.-]*"))
      throw new AppValidationException("parameters", "'" + name + "' is not a parameter name");
    if (value == null) throw new AppValidationException("parameters." + name, "a parameter needs a value");
    if (envVar == null) envVar = name.toUpperCase().replaceAll("[^A-Z0-9_]", "_");
    EnvNames.check("parameters." + name + ".env_var", envVar);
  }
}
