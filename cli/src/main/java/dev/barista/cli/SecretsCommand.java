package dev.barista.cli;

import dev.barista.apps.secrets.BaristaDirs;
import dev.barista.apps.secrets.SecretStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * `barista secrets set|list|delete`: secrets apps get as environment variables. Values are read from
 * a prompt, stdin, a file or an env var (never the command line, which shells keep in history) and are
 * never printed.
 */
@Command(name = "secrets", mixinStandardHelpOptions = true, description = "Manage secrets that apps receive as environment variables.")
public final class SecretsCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  private static SecretStore store() {
    return new SecretStore(BaristaDirs.fromEnvironment().config());
  }

  @Command(name = "set", description = "Store a secret; the value comes from a prompt, stdin, --from-file or --from-env.")
  void set(@Parameters(paramLabel = "NAME", description = "KEY or GROUP/KEY") String name,
      @Option(names = "--from-file", paramLabel = "FILE") Path file,
      @Option(names = "--from-env", paramLabel = "VAR") String env) throws IOException {
    SecretStore.checkName(name);
    String value;
    if (file != null) value = Files.readString(file).strip();
    else if (env != null) {
      value = System.getenv(env);
      if (value == null) throw new IllegalArgumentException("environment variable " + env + " is not set");
    } else if (System.console() != null) {
      char[] typed = System.console().readPassword("value for %s: ", name);
      value = typed == null ? "" : new String(typed);
    } else value = new String(System.in.readAllBytes(), StandardCharsets.UTF_8).strip();
    store().set(name, value);
    System.out.println("stored secret " + name);
  }

  @Command(name = "list", description = "List secret names (never values).")
  void list() {
    store().names().forEach(System.out::println);
  }

  @Command(name = "delete", description = "Delete a secret.")
  void delete(@Parameters(paramLabel = "NAME") String name) {
    if (!store().delete(name)) throw new IllegalArgumentException("no secret named '" + name + "'");
    System.out.println("deleted secret " + name);
  }
}
