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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Downloads a replica's model from a blob store before the replica starts (see {@link ModelDownload})
 * into $HF_HOME/barista/stores, where {@code barista serve} downloads too. Files already there with
 * the store's sizes are kept, so only the first replica waits for the transfer. Downloads run on
 * their own threads so an app's controller keeps scaling and draining meanwhile; replicas of one
 * model asking together share one download.
 */
public final class ModelDownloads {
  private static final Map<String, CompletableFuture<Path>> RUNNING = new ConcurrentHashMap<>();

  private ModelDownloads() {}

  /**
   * The plan ready to start, or null while its model is still downloading (a download is started,
   * and {@code started} told, if none runs). A failed download throws, and the next call tries again.
   */
  public static LaunchPlan prepareOrNull(LaunchPlan plan, Consumer<String> started) {
    if (plan.download() == null) return plan;
    CompletableFuture<Path> download = start(plan, started);
    if (!download.isDone()) return null;
    RUNNING.remove(key(plan), download); // the next replica re-checks the files (sizes only, no transfer)
    try {
      return plan.withModelFolder(download.join());
    } catch (java.util.concurrent.CompletionException e) {
      throw failure(plan, e);
    }
  }

  private static CompletableFuture<Path> start(LaunchPlan plan, Consumer<String> started) {
    return RUNNING.computeIfAbsent(key(plan), k -> {
      started.accept("downloading " + plan.download().uri() + " before starting a replica");
      return CompletableFuture.supplyAsync(() -> download(plan), r -> Thread.ofVirtual().name("download").start(r));
    });
  }

  private static Path download(LaunchPlan plan) {
    ModelDownload d = plan.download();
    Map<String, String> env = environment(plan);
    ModelResolver resolver = new ModelResolver(HubSettings.fromEnvironment(env, Path.of(System.getProperty("user.home"))),
        S3Settings.fromEnvironment(env), ModelResolver.WeightsMode.DOWNLOAD, DownloadProgress.NONE);
    return resolver.resolve(d.uri(), null, d.tensorParallelSize());
  }

  /** The replica's own settings (AWS_ENDPOINT_URL, HF_HOME, ...) over the control plane's. */
  private static Map<String, String> environment(LaunchPlan plan) {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.putAll(plan.env());
    return env;
  }

  /** One download per store and destination (apps may point HF_HOME or the endpoint elsewhere). */
  private static String key(LaunchPlan plan) {
    Map<String, String> env = environment(plan);
    return plan.download().uri() + " " + env.get("HF_HOME") + " " + env.get("AWS_ENDPOINT_URL_S3") + " " + env.get("AWS_ENDPOINT_URL");
  }

  private static RuntimeException failure(LaunchPlan plan, RuntimeException e) {
    Throwable cause = e.getCause() == null ? e : e.getCause();
    return new IllegalStateException("cannot download " + plan.download().uri() + ": " + cause.getMessage(), cause);
  }
}
