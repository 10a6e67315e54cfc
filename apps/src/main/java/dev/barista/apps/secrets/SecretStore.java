package dev.barista.apps.secrets;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.barista.apps.spec.SecretResolver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Secrets kept outside app files, in {@code CONFIG/secrets.json} readable by the owner only (0600).
 * Values go to replicas' environments and nowhere else: this class never prints or logs them.
 */
public final class SecretStore {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NAME = "[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)?";
  private final Path file;

  public SecretStore(Path configDir) {
    this.file = configDir.resolve("secrets.json");
  }

  public Path file() {
    return file;
  }

  public synchronized void set(String name, String value) {
    checkName(name);
    if (value == null || value.isEmpty()) throw new IllegalArgumentException("secret '" + name + "' must not be empty");
    Map<String, String> all = load();
    all.put(name, value);
    save(all);
  }

  public synchronized boolean delete(String name) {
    Map<String, String> all = load();
    boolean had = all.remove(name) != null;
    if (had) save(all);
    return had;
  }

  public synchronized List<String> names() {
    return List.copyOf(load().keySet());
  }

  public synchronized String get(String name) {
    String v = load().get(name);
    if (v == null) throw new MissingSecretException(name);
    return v;
  }

  public SecretResolver resolver() {
    return this::get;
  }

  public static void checkName(String name) {
    if (name == null || !name.matches(NAME))
      throw new IllegalArgumentException("'" + name + "' is not a secret name (letters, digits, . _ - and one optional GROUP/)");
  }

  private Map<String, String> load() {
    if (!Files.exists(file)) return new TreeMap<>();
    try {
      refuseIfReadableByOthers();
      return new TreeMap<>(JSON.readValue(file.toFile(), new TypeReference<Map<String, String>>() {}));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the secrets store " + file + ": " + e.getMessage(), e);
    }
  }

  /** A store others can read has leaked already; say so instead of using it. */
  private void refuseIfReadableByOthers() throws IOException {
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
    if (perms.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS")))
      throw new IOException("its permissions are " + java.nio.file.attribute.PosixFilePermissions.toString(perms)
          + "; they must be rw------- (chmod 600 " + file + ")");
  }

  private void save(Map<String, String> all) {
    try {
      PrivateFiles.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(all));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the secrets store " + file + ": " + e.getMessage(), e);
    }
  }
}
