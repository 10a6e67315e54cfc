package dev.barista.hub;

import static org.junit.jupiter.api.Assertions.*;

import dev.barista.hub.shard.ShardConfig;
import dev.barista.hub.shard.ShardManifest;
import dev.barista.hub.shard.ShardMismatchException;
import dev.barista.hub.store.BlobStore;
import dev.barista.hub.store.BlobStores;
import dev.barista.hub.store.S3ProxyServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** prefetch from a (local, fake) hub into local and S3 stores, and resolving the results. */
class PrefetchTest {
  private static final String REPO = "acme/tiny-qwen3";
  @TempDir static Path tmp;
  static S3ProxyServer s3;
  static FakeHub hub;
  static HubSettings settings;

  @BeforeAll
  static void start() throws Exception {
    s3 = new S3ProxyServer(Files.createDirectories(tmp.resolve("s3")), "models");
    hub = new FakeHub(REPO);
    Path model = TestModels.folder("tiny-qwen3");
    try (var files = Files.list(model)) {
      for (Path f : files.sorted().toList()) {
        String n = f.getFileName().toString();
        hub.file(n, Files.readAllBytes(f), n.endsWith(".safetensors"));
      }
    }
    settings = HubSettings.fromEnvironment(
        Map.of("HF_ENDPOINT", hub.endpoint().toString(), "HF_HOME", tmp.resolve("hf").toString()), tmp);
  }

  @AfterAll
  static void stop() throws Exception {
    hub.close();
    s3.close();
  }

  private Prefetcher prefetcher() {
    return new Prefetcher(new HubClient(settings), s3.settings(), DownloadProgress.NONE);
  }

  private ModelResolver resolver(ModelResolver.WeightsMode mode) {
    return new ModelResolver(settings, s3.settings(), mode, DownloadProgress.NONE);
  }

  @Test
  void prefetchIntoALocalFolderGivesTheRepoFiles() throws Exception {
    Path to = tmp.resolve("local-copy");
    var r = prefetcher().fromHub(new RepoId(REPO), "main", to.toString(), Optional.empty());
    Path src = TestModels.folder("tiny-qwen3");
    try (var files = Files.list(src)) {
      assertEquals(files.count(), r.files()); // every file the hub serves
    }
    for (String f : List.of("config.json", "model-00001-of-00002.safetensors", "model.safetensors.index.json")) {
      assertArrayEquals(Files.readAllBytes(src.resolve(f)), Files.readAllBytes(to.resolve(f)), f);
      assertFalse(Files.isSymbolicLink(to.resolve(f)));
    }
    assertEquals(to, resolver(ModelResolver.WeightsMode.STREAM).resolve(to.toUri().toString()));
  }

  @Test
  void shardedPrefetchIntoS3RecordsTheDegreeAndRefusesAnother() throws Exception {
    String uri = "s3://models/acme/tiny-qwen3-tp2";
    prefetcher().fromHub(new RepoId(REPO), "main", uri, Optional.of(new ShardConfig(2)));

    try (BlobStore store = BlobStores.open(uri, s3.settings(), 4)) {
      List<String> keys = store.list().stream().map(BlobStore.Blob::key).toList();
      assertTrue(keys.contains(ShardManifest.FILE), keys.toString());
      assertTrue(keys.contains("rank-1/model-00002-of-00002.safetensors"), keys.toString());
      assertTrue(keys.contains("rank-0/config.json"), keys.toString());
    }
    // streaming resolution of one rank: configs local, weights left in the store
    Path rank0 = resolver(ModelResolver.WeightsMode.STREAM).resolve(uri + "/rank-0", "main", 2);
    assertTrue(Files.exists(rank0.resolve("config.json")));
    assertFalse(Files.exists(rank0.resolve("model-00001-of-00002.safetensors")));
    assertEquals(Optional.of(new StreamSource(uri + "/rank-0")), StreamSource.read(rank0));
    var e = assertThrows(ShardMismatchException.class,
        () -> resolver(ModelResolver.WeightsMode.DOWNLOAD).resolve(uri + "/rank-0", "main", 1));
    assertTrue(e.getMessage().contains("sharded for tensor_parallel_size=2"), e.getMessage());
  }

  @Test
  void downloadModeCopiesTheWeightsToo() throws Exception {
    String uri = "s3://models/acme/plain";
    prefetcher().fromHub(new RepoId(REPO), "main", uri, Optional.empty());
    Path dir = resolver(ModelResolver.WeightsMode.DOWNLOAD).resolve(uri);
    Path src = TestModels.folder("tiny-qwen3");
    assertArrayEquals(Files.readAllBytes(src.resolve("model-00002-of-00002.safetensors")),
        Files.readAllBytes(dir.resolve("model-00002-of-00002.safetensors")));
    assertTrue(StreamSource.read(dir).isEmpty());
  }

  @Test
  void aRepoIdResolvesThroughTheHubCache() {
    Path dir = resolver(ModelResolver.WeightsMode.STREAM).resolve(REPO);
    assertEquals(tmp.resolve("hf/hub/models--acme--tiny-qwen3/snapshots/" + FakeHub.COMMIT), dir);
    assertTrue(Files.exists(dir.resolve("model-00001-of-00002.safetensors")));
  }

  @Test
  void aMissingFolderIsAClearError() {
    var e = assertThrows(HubException.class,
        () -> resolver(ModelResolver.WeightsMode.STREAM).resolve(tmp.resolve("nope").toString()));
    assertTrue(e.getMessage().contains("no such folder"), e.getMessage());
  }
}
