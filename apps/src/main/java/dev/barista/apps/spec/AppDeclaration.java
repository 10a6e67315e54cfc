package dev.barista.apps.spec;

/** Anything that can be deployed as an app: a plain {@link AppSpec} or an engine app built on one. */
public interface AppDeclaration {
  /** The common fields (name, scaling, auth, ...). */
  AppSpec spec();

  /** The process one replica runs when it listens on {@code replicaPort}. */
  LaunchPlan launchPlan(int replicaPort, SecretResolver secrets);

  /** The model ids this app serves, for routing by the request's {@code model} field. */
  default java.util.List<String> servedModels() {
    return java.util.List.of();
  }
}
