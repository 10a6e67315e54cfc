package dev.barista.cli;

import dev.barista.hub.DownloadProgress;
import dev.barista.hub.HubClient;
import dev.barista.hub.HubSettings;
import dev.barista.hub.Prefetcher;
import dev.barista.hub.RepoId;
import dev.barista.hub.shard.ShardConfig;
import dev.barista.hub.store.S3Settings;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `barista prefetch hf REPO --to URI [--revision R] [--shard tp=N]`. */
@Command(
    name = "hf",
    mixinStandardHelpOptions = true,
    description = {
      "Download a Hugging Face model (through the shared HF cache) and copy it into a store.",
      "With --shard tp=N, write rank-0..rank-N-1 folders of per-rank safetensors and a",
      "barista-shard.json that makes loading with another degree fail.",
      "Honours HF_ENDPOINT, HF_HOME, HF_HUB_CACHE, HF_HUB_OFFLINE, HF_TOKEN; for s3://, AWS_ENDPOINT_URL,",
      "AWS_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY."
    })
public final class PrefetchHfCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "REPO", description = "Repo id, e.g. Qwen/Qwen3-0.6B.")
  String repo;

  @Option(names = "--to", required = true, paramLabel = "URI", description = "Target: a folder, file:///path or s3://bucket/prefix.")
  String to;

  @Option(names = "--revision", defaultValue = "main", description = "Branch, tag or commit (default: ${DEFAULT-VALUE}).")
  String revision;

  @Option(names = "--shard", paramLabel = "tp=N", description = "Split for tensor parallelism of degree N.")
  String shard;

  @Option(names = "--max-workers", defaultValue = "8", description = "Files downloaded at once (default: ${DEFAULT-VALUE}).")
  int maxWorkers;

  @Override
  public Integer call() throws Exception {
    Optional<ShardConfig> config = Optional.ofNullable(shard).map(ShardConfig::parse);
    HubClient client = new HubClient(HubSettings.fromEnvironment(), maxWorkers);
    Prefetcher.Result r = new Prefetcher(client, S3Settings.fromEnvironment(), DownloadProgress.forTerminal())
        .fromHub(new RepoId(repo), revision, to, config);
    System.out.printf(Locale.ROOT, "prefetched %s@%s to %s: %d files, %.1f MB%s%n", repo, revision, r.store(),
        r.files(), r.bytes() / 1e6, config.map(c -> " (tp=" + c.tensorParallelSize() + ")").orElse(""));
    return 0;
  }
}
