package dev.barista.apps.runtime;

import dev.barista.apps.spec.LaunchPlan;
import dev.barista.apps.spec.ModelDownload;
import dev.barista.hub.DownloadProgress;
import dev.barista.hub.HubSettings;
import dev.barista.hub.ModelResolver;
import dev.barista.hub.store.S3Settings;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Downloads a replica's model from a blob store before the replica starts (see {@link ModelDownload})
 * into $HF_HOME/barista/stores, where {@code barista serve} downloads too. Files already there with
 * the store's sizes are kept, so only the first replica waits for the transfer; replicas of one
 * model starting together download it once.
 */
public final class ModelDownloads {
  private static final Map<String, Object> LOCKS = new ConcurrentHashMap<>();

  private ModelDownloads() {}

  /** The plan with its model downloaded and the local folder in argv; plans without a download as they are. */
  public static LaunchPlan prepare(LaunchPlan plan) {
    ModelDownload d = plan.download();
    if (d == null) return plan;
    Map<String, String> env = new HashMap<>(System.getenv());
    env.putAll(plan.env()); // the replica's own settings (AWS_ENDPOINT_URL, HF_HOME, ...) win
    ModelResolver resolver = new ModelResolver(HubSettings.fromEnvironment(env, Path.of(System.getProperty("user.home"))),
        S3Settings.fromEnvironment(env), ModelResolver.WeightsMode.DOWNLOAD, DownloadProgress.NONE);
    Path folder;
    synchronized (LOCKS.computeIfAbsent(d.uri(), k -> new Object())) {
      folder = resolver.resolve(d.uri(), null, d.tensorParallelSize());
    }
    return plan.withModelFolder(folder);
  }
}
