package dev.barista.apps.runtime;

import dev.barista.apps.spec.AppDeclaration;
import java.util.List;

/**
 * Where apps run. {@link LocalRuntime} runs replicas as processes on this machine; a Kubernetes
 * runtime will implement the same operations.
 */
public interface AppRuntime extends AutoCloseable {
  /** What a deploy created. {@code apiKey} is set only when a new key was made (shown once). */
  record Deployment(String name, int revision, String endpoint, String publicEndpoint, String apiKey) {}

  /** Creates the app or a new revision of it, and (re)starts it. */
  Deployment deploy(AppDeclaration app);

  List<AppStatus> list();

  AppStatus status(String name);

  /** The last {@code lines} lines of each of the app's recent replica logs. */
  String logs(String name, int lines);

  /** Scales to zero and refuses requests until deployed again; keeps the app. */
  void stop(String name);

  /** Stops the app and forgets it (revisions, replicas, events). */
  void delete(String name);

  /** A new API key for the app (the old one stops working); returned once. */
  String rotateKey(String name);

  String endpoint(String name, boolean isPublic);

  @Override
  void close();
}
