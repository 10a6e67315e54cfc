package dev.barista.cli.apps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.barista.apps.control.ControlPlaneFile;
import dev.barista.cli.Main;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `barista secrets`, `barista deploy` and `barista apps` against a control plane process the CLI starts. */
class AppsCliTest {
  private static final String SECRET = "hf_value_that_must_never_show";
  @TempDir Path dir;
  private Path config;

  /** One CLI run: exit code, stdout, stderr. */
  record Run(int code, String out, String err) {}

  @BeforeEach
  void dirs() {
    config = dir.resolve("config");
    System.setProperty("barista.config.dir", config.toString());
    System.setProperty("barista.state.dir", dir.resolve("state").toString());
  }

  @AfterEach
  void cleanup() {
    ControlPlaneFile.read(config).flatMap(f -> ProcessHandle.of(f.pid())).ifPresent(ProcessHandle::destroy);
    System.clearProperty("barista.config.dir");
    System.clearProperty("barista.state.dir");
  }

  private static Run cli(String stdin, String... args) {
    PrintStream out = System.out, err = System.err;
    InputStream in = System.in;
    ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
      int code = Main.execute(args);
      return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
      System.setIn(in);
    }
  }

  @Test
  void deployListStatusStopDeleteShutdown() throws Exception {
    Run set = cli(SECRET + "\n", "secrets", "set", "hf-token");
    assertEquals(0, set.code(), set.err());
    Run names = cli("", "secrets", "list");
    assertEquals("hf-token\n", names.out());

    Path file = dir.resolve("app.yaml");
    Files.writeString(file, AppsEndToEndTest.appYaml("tiny-cli", "{replicas: [0, 1]}") + "secrets: [{key: hf-token, env_var: HF_TOKEN}]\n");
    Run deploy = cli("", "deploy", file.toString(), "--port", "0");
    assertEquals(0, deploy.code(), deploy.err());
    assertTrue(deploy.out().contains("deployed tiny-cli (revision 1)"), deploy.out());
    assertTrue(deploy.out().matches("(?s).*api key:  bk-[A-Za-z0-9_-]+ .*"), deploy.out());

    Run list = cli("", "apps", "list");
    assertTrue(list.out().contains("tiny-cli") && list.out().contains("0/0 [0..1]"), list.out());

    Files.writeString(file, Files.readString(file) + "replicas: 3\n");
    Run bad = cli("", "deploy", file.toString());
    assertEquals(1, bad.code());
    assertEquals(1, bad.err().strip().lines().count(), bad.err());
    assertTrue(bad.err().startsWith("error: " + file + ": app 'tiny-cli': field 'replicas': unknown field"), bad.err());

    Run logs = cli("", "apps", "logs", "tiny-cli", "-n", "5");
    assertEquals(0, logs.code(), logs.err());
    assertEquals("", logs.out(), "no replica has run yet");

    assertEquals(0, cli("", "apps", "stop", "tiny-cli").code());
    Run status = cli("", "apps", "status", "tiny-cli");
    assertTrue(status.out().contains("STOPPED"), status.out());
    Run missing = cli("", "apps", "status", "nope");
    assertEquals("error: no app named 'nope' (see: barista apps list)", missing.err().strip());
    assertEquals(0, cli("", "apps", "delete", "tiny-cli").code());
    assertTrue(cli("", "apps", "list").out().startsWith("no apps"));

    for (Run r : new Run[] {set, names, deploy, list, status}) assertFalse((r.out() + r.err()).contains(SECRET));
    try (Stream<Path> files = Files.walk(dir.resolve("state"))) {
      for (Path p : files.filter(Files::isRegularFile).toList())
        assertFalse(new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1).contains(SECRET), p.toString());
    }

    assertEquals(0, cli("", "secrets", "delete", "hf-token").code());
    assertEquals("", cli("", "secrets", "list").out());
    assertEquals("error: no secret named 'hf-token'", cli("", "secrets", "delete", "hf-token").err().strip());

    assertEquals(0, cli("", "apps", "shutdown").code());
    long end = System.currentTimeMillis() + 20_000;
    while (Files.exists(ControlPlaneFile.path(config)) && System.currentTimeMillis() < end) Thread.sleep(100);
    Run after = cli("", "apps", "list");
    assertEquals(1, after.code());
    assertTrue(after.err().startsWith("error: no control plane is running"), after.err());
  }
}
