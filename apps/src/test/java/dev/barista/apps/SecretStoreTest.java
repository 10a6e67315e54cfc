package dev.barista.apps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.barista.apps.secrets.MissingSecretException;
import dev.barista.apps.secrets.SecretStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretStoreTest {
  @TempDir Path dir;

  @Test
  void storesValuesInAnOwnerOnlyFile() throws Exception {
    SecretStore store = new SecretStore(dir.resolve("config"));
    store.set("hf-token", "hf_abc");
    store.set("team/openai", "sk-1");
    assertEquals("hf_abc", store.get("hf-token"));
    assertEquals(List.of("hf-token", "team/openai"), store.names());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file())));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("config"))));
    assertTrue(store.delete("hf-token"));
    assertFalse(store.delete("hf-token"));
    assertEquals(List.of("team/openai"), new SecretStore(dir.resolve("config")).names());
  }

  @Test
  void missingSecretSaysHowToSetIt() {
    MissingSecretException e = assertThrows(MissingSecretException.class, () -> new SecretStore(dir).resolver().resolve("nope"));
    assertEquals("secret 'nope' is not set; set it with: barista secrets set nope", e.getMessage());
  }

  @Test
  void refusesAStoreOthersCanRead() throws Exception {
    SecretStore store = new SecretStore(dir);
    store.set("k", "v");
    Files.setPosixFilePermissions(store.file(), PosixFilePermissions.fromString("rw-r--r--"));
    RuntimeException e = assertThrows(RuntimeException.class, () -> store.get("k"));
    assertTrue(e.getMessage().contains("must be rw-------"), e.getMessage());
    assertFalse(e.getMessage().contains("\"v\""));
  }

  @Test
  void rejectsBadNamesAndEmptyValues() {
    SecretStore store = new SecretStore(dir);
    assertThrows(IllegalArgumentException.class, () -> store.set("../etc", "v"));
    assertThrows(IllegalArgumentException.class, () -> store.set("ok", ""));
  }
}
