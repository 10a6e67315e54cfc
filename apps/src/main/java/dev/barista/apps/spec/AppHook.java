package dev.barista.apps.spec;

/** Code run by the runtime around a replica's life (Java declarations only; YAML has no code). */
@FunctionalInterface
public interface AppHook {
  /** @param replicaUrl base URL of the replica the hook runs for */
  void run(String appName, String replicaUrl) throws Exception;
}
