package dev.barista.apps.spec;

/**
 * A secret from the local store, injected into replicas as an environment variable. The value never
 * appears in the declaration, the state database, logs or status output.
 */
public record SecretRef(String key, String group, String envVar) {
  public SecretRef {
    if (key == null || !key.matches("[A-Za-z0-9][A-Za-z0-9._-]*"))
      throw new AppValidationException("secrets", "'" + key + "' is not a secret key");
    if (group != null && !group.matches("[A-Za-z0-9][A-Za-z0-9._-]*"))
      throw new AppValidationException("secrets", "'" + group + "' is not a secret group");
    if (envVar == null) envVar = key.toUpperCase().replaceAll("[^A-Z0-9_]", "_");
    EnvNames.check("secrets." + key + ".env_var", envVar);
  }

  public static SecretRef of(String key) {
    return new SecretRef(key, null, null);
  }

  /** The name under which the secrets store keeps it: "group/key" or "key". */
  public String storeName() {
    return group == null ? key : group + "/" + key;
  }
}
