package dev.barista.hub;

import static org.junit.jupiter.api.Assertions.*;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The variables huggingface_hub reads, with its defaults. */
class HubSettingsTest {
  private final Path home = Path.of("/home/u");

  @Test
  void defaults() {
    HubSettings s = HubSettings.fromEnvironment(Map.of(), home);
    assertEquals(URI.create("https://huggingface.co"), s.endpoint());
    assertEquals(Path.of("/home/u/.cache/huggingface"), s.hfHome());
    assertEquals(Path.of("/home/u/.cache/huggingface/hub"), s.hubCache());
    assertFalse(s.offline());
  }

  @Test
  void overrides() {
    HubSettings s = HubSettings.fromEnvironment(Map.of("HF_ENDPOINT", "https://mirror.example/", "HF_HOME", "/data/hf",
        "HF_HUB_CACHE", "/fast/hub", "HF_HUB_OFFLINE", "1", "XDG_CACHE_HOME", "/ignored"), home);
    assertEquals(URI.create("https://mirror.example"), s.endpoint());
    assertEquals(Path.of("/data/hf"), s.hfHome());
    assertEquals(Path.of("/fast/hub"), s.hubCache());
    assertTrue(s.offline());
    assertEquals(Path.of("/x/huggingface/hub"), HubSettings.fromEnvironment(Map.of("XDG_CACHE_HOME", "/x"), home).hubCache());
    assertFalse(HubSettings.fromEnvironment(Map.of("HF_HUB_OFFLINE", "0"), home).offline());
  }

  @Test
  void theTokenNeverShowsInMessages() {
    HubSettings s = HubSettings.fromEnvironment(Map.of("HF_TOKEN", "hf_secret"), home);
    assertEquals(Optional.of("hf_secret"), s.token());
    assertFalse(s.toString().contains("hf_secret"));
  }

  @Test
  void repoIds() {
    assertEquals("models--Qwen--Qwen3-0.6B", new RepoId("Qwen/Qwen3-0.6B").cacheFolderName());
    assertEquals("models--gpt2", new RepoId("gpt2").cacheFolderName());
    for (String bad : new String[] {"a/b/c", "a--b/c", "-a/b", "a/b.", "", "a/../b"}) {
      assertFalse(RepoId.isValid(bad), bad);
    }
  }
}
