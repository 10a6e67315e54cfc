package dev.barista.apps.secrets;

/** An app needs a secret that is not in the store. */
public final class MissingSecretException extends IllegalStateException {
  public MissingSecretException(String name) {
    super("secret '" + name + "' is not set; set it with: barista secrets set " + name);
  }
}
