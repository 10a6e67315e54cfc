package dev.barista.hub;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HubClientTest {
  private static final String REPO = "acme/tiny-model";

  @TempDir Path home;
  private FakeHub hub;
  private byte[] weights;
  private final String config = "{\"model_type\": \"qwen3\", \"vocab_size\": 151936}\n";

  @BeforeEach
  void start() throws IOException {
    weights = new byte[3 * 1024 * 1024 + 17];
    new Random(7).nextBytes(weights);
    hub = new FakeHub(REPO).text("config.json", config).file("model.safetensors", weights, true)
        .text("README.md", "# not a model file\n");
  }

  @AfterEach
  void stop() {
    hub.close();
  }

  private HubSettings settings(String token, boolean offline) {
    return HubSettings.fromEnvironment(
            Map.of("HF_ENDPOINT", hub.endpoint().toString(), "HF_HOME", home.resolve("hf").toString()), home)
        .withToken(Optional.ofNullable(token)).withOffline(offline);
  }

  private RepoSnapshot fetch(HubSettings s) {
    return new HubClient(s, 4).snapshot(new RepoId(REPO), "main", FilePatterns.MODEL_FILES, DownloadProgress.NONE);
  }

  @Test
  void downloadsIntoTheHuggingFaceCacheLayout() throws IOException {
    RepoSnapshot snap = fetch(settings(null, false));

    Path repoDir = home.resolve("hf/hub/models--acme--tiny-model");
    assertEquals(repoDir.resolve("snapshots/" + FakeHub.COMMIT), snap.folder());
    assertEquals(List.of("config.json", "model.safetensors"), snap.files().stream().sorted().toList());
    assertArrayEquals(weights, Files.readAllBytes(snap.folder().resolve("model.safetensors")));
    assertEquals(config, Files.readString(snap.folder().resolve("config.json")));
    // blobs are named by the hub's ETag, snapshots are relative links to them, refs/main holds the commit
    Path link = snap.folder().resolve("model.safetensors");
    assertTrue(Files.isSymbolicLink(link));
    assertEquals(Path.of("../../blobs/" + FakeHub.hex("SHA-256", weights)), Files.readSymbolicLink(link));
    assertTrue(Files.exists(repoDir.resolve("blobs/" + FakeHub.gitBlobId(config.getBytes(StandardCharsets.UTF_8)))));
    assertEquals(FakeHub.COMMIT, Files.readString(repoDir.resolve("refs/main")));
    assertFalse(Files.exists(snap.folder().resolve("README.md")), "only model files are fetched");
  }

  @Test
  void aRepositoryWithoutSafetensorsGivesItsPyTorchCheckpointsAsVllmDoes() throws IOException {
    hub.close();
    byte[] bin = java.util.Arrays.copyOf(weights, 4096);
    hub = new FakeHub(REPO).text("config.json", config).file("pytorch_model.bin", bin, true)
        .file("tf_model.h5", bin, true).text("README.md", "# not a model file\n");

    RepoSnapshot snap = fetch(settings(null, false));
    assertEquals(List.of("config.json", "pytorch_model.bin"), snap.files().stream().sorted().toList());
    // offline, the cached snapshot gives the same files
    RepoSnapshot cached = new HubClient(settings(null, true), 4).snapshot(new RepoId(REPO), "main",
        FilePatterns.MODEL_FILES, DownloadProgress.NONE);
    assertEquals(List.of("config.json", "pytorch_model.bin"), cached.files());
  }

  @Test
  void pytorchCheckpointsAreSkippedWhereSafetensorsExist() {
    assertEquals(List.of("config.json", "model.safetensors"), fetch(settings(null, false)).files().stream().sorted().toList());
    assertEquals(FilePatterns.MODEL_FILES,
        FilePatterns.withTorchFallback(FilePatterns.MODEL_FILES, List.of("model.safetensors", "pytorch_model.bin")));
  }

  @Test
  void resumesAnInterruptedTransferWithARangeRequest() throws IOException {
    long cut = 1_000_000;
    hub.cutAfter.put("model.safetensors", cut);

    RepoSnapshot snap = fetch(settings(null, false));

    assertArrayEquals(weights, Files.readAllBytes(snap.folder().resolve("model.safetensors")));
    List<FakeHub.Request> cdn = hub.requestsTo("cdn");
    assertEquals(2, cdn.size(), "one broken transfer, one resumed: " + cdn);
    assertNull(cdn.get(0).range());
    // the client resumes from what reached its disk (the HTTP stack may drop the last buffer)
    long resumedAt = Long.parseLong(cdn.get(1).range().replaceAll("bytes=(\\d+)-", "$1"));
    assertTrue(resumedAt > cut / 2 && resumedAt <= cut, "resumed at " + resumedAt);
    assertEquals(weights.length + (cut - resumedAt), hub.cdnBytesSent.get(), "only the lost tail is sent twice");
  }

  @Test
  void resumesAPartialFileLeftByAnEarlierRun() throws IOException {
    String sha = FakeHub.hex("SHA-256", weights);
    Path incomplete = home.resolve("hf/hub/models--acme--tiny-model/blobs/" + sha + ".incomplete");
    Files.createDirectories(incomplete.getParent());
    Files.write(incomplete, java.util.Arrays.copyOf(weights, 123_456));

    RepoSnapshot snap = fetch(settings(null, false));

    assertArrayEquals(weights, Files.readAllBytes(snap.folder().resolve("model.safetensors")));
    assertEquals("bytes=123456-", hub.requestsTo("cdn").getFirst().range());
    assertFalse(Files.exists(incomplete));
  }

  @Test
  void aCorruptedFileIsDetectedAndNotCached() {
    hub.corrupt.add("model.safetensors");

    IntegrityException e = assertThrows(IntegrityException.class, () -> fetch(settings(null, false)));

    assertTrue(e.getMessage().contains("model.safetensors"), e.getMessage());
    assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
    Path blobs = home.resolve("hf/hub/models--acme--tiny-model/blobs");
    assertFalse(Files.exists(blobs.resolve(FakeHub.hex("SHA-256", weights))));
    assertFalse(Files.exists(blobs.resolve(FakeHub.hex("SHA-256", weights) + ".incomplete")));
  }

  @Test
  void theTokenGoesToTheHubButNotToTheCdn() {
    fetch(settings("hf_secret", false));

    List<FakeHub.Request> toHub = hub.requestsTo("hub");
    List<FakeHub.Request> toCdn = hub.requestsTo("cdn");
    assertFalse(toHub.isEmpty());
    assertFalse(toCdn.isEmpty());
    toHub.forEach(r -> assertEquals("Bearer hf_secret", r.authorization(), r.toString()));
    toCdn.forEach(r -> assertNull(r.authorization(), "token leaked to the CDN: " + r));
  }

  @Test
  void theTokenIsReadFromTheTokenFile() throws IOException {
    Files.createDirectories(home.resolve("hf"));
    Files.writeString(home.resolve("hf/token"), "hf_from_file\n");
    HubSettings s = HubSettings.fromEnvironment(
        Map.of("HF_ENDPOINT", hub.endpoint().toString(), "HF_HOME", home.resolve("hf").toString()), home);
    assertEquals(Optional.of("hf_from_file"), s.token());
    HubSettings env = HubSettings.fromEnvironment(
        Map.of("HF_HOME", home.resolve("hf").toString(), "HF_TOKEN", "hf_env"), home);
    assertEquals(Optional.of("hf_env"), env.token(), "HF_TOKEN wins over the file");
  }

  @Test
  void offlineModeIsServedFromTheCacheWithoutTouchingTheNetwork() {
    RepoSnapshot online = fetch(settings(null, false));
    hub.close();
    int before = hub.requests.size();

    RepoSnapshot offline = fetch(settings(null, true));

    assertEquals(online.folder(), offline.folder());
    assertEquals(online.commit(), offline.commit());
    assertEquals(List.of("config.json", "model.safetensors"), offline.files());
    assertEquals(before, hub.requests.size());
  }

  @Test
  void offlineModeWithAnEmptyCacheSaysSo() {
    var e = assertThrows(OfflineCacheMissException.class, () -> fetch(settings(null, true)));
    assertTrue(e.getMessage().contains("HF_HUB_OFFLINE"), e.getMessage());
    assertTrue(hub.requests.isEmpty());
  }

  @Test
  void anUnknownRevisionIsAClearError() {
    var e = assertThrows(HubException.class, () -> new HubClient(settings(null, false))
        .snapshot(new RepoId(REPO), "no-such-branch", FilePatterns.MODEL_FILES, DownloadProgress.NONE));
    assertTrue(e.getMessage().contains("acme/tiny-model@no-such-branch"), e.getMessage());
    assertTrue(e.getMessage().contains("404"), e.getMessage());
  }

  @Test
  void aSecondFetchDownloadsNothing() {
    fetch(settings(null, false));
    hub.requests.clear();
    fetch(settings(null, false));
    assertTrue(hub.requestsTo("cdn").isEmpty());
  }

  @Test
  void concurrentFetchesOfOneRepoDownloadEachBlobOnce() throws Exception {
    HubSettings s = settings(null, false);
    try (var pool = java.util.concurrent.Executors.newFixedThreadPool(3)) {
      var jobs = new java.util.ArrayList<java.util.concurrent.Future<RepoSnapshot>>();
      for (int i = 0; i < 3; i++) jobs.add(pool.submit(() -> fetch(s)));
      for (var j : jobs) assertArrayEquals(weights, Files.readAllBytes(j.get().folder().resolve("model.safetensors")));
    }
    assertEquals(1, hub.requestsTo("cdn").size(), "the weights were fetched once: " + hub.requestsTo("cdn"));
    assertTrue(Files.exists(home.resolve("hf/hub/.locks/models--acme--tiny-model/" + FakeHub.hex("SHA-256", weights) + ".lock")));
  }

  @Test
  void aGatedRepoWithoutATokenSaysHowToFixIt() {
    hub.requireToken = "hf_good";
    var e = assertThrows(HubException.class, () -> fetch(settings(null, false)));
    assertTrue(e.getMessage().contains("gated or private; set HF_TOKEN"), e.getMessage());
    assertEquals(List.of("config.json", "model.safetensors"),
        fetch(settings("hf_good", false)).files().stream().sorted().toList());
  }

  @Test
  void aCorruptPartialFromAnEarlierRunIsDetectedOnResume() throws IOException {
    String sha = FakeHub.hex("SHA-256", weights);
    Path incomplete = home.resolve("hf/hub/models--acme--tiny-model/blobs/" + sha + ".incomplete");
    Files.createDirectories(incomplete.getParent());
    byte[] partial = java.util.Arrays.copyOf(weights, 200_000);
    partial[1234] ^= 1;
    Files.write(incomplete, partial);

    var e = assertThrows(IntegrityException.class, () -> fetch(settings(null, false)));
    assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
    assertFalse(Files.exists(incomplete), "the bad partial is dropped, the next run starts clean");
    assertArrayEquals(weights, Files.readAllBytes(fetch(settings(null, false)).folder().resolve("model.safetensors")));
  }
}
