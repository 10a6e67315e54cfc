package dev.barista.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs `barista ARGS` as a user would: a child JVM on this test's class path, with its own environment. */
final class ChildBarista {
  record Result(int exit, String out, String err) {}

  private ChildBarista() {}

  /** Runs in {@code dir} (which keeps out.txt and err.txt) with HF_ and AWS_ variables only from {@code env}. */
  static Result run(Path dir, Map<String, String> env, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx512m",
        "-cp", System.getProperty("java.class.path"), "dev.barista.cli.Main"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().keySet().removeIf(k -> k.startsWith("HF_") || k.startsWith("AWS_"));
    pb.environment().putAll(env);
    Files.createDirectories(dir);
    File out = dir.resolve("out.txt").toFile();
    File err = dir.resolve("err.txt").toFile();
    Process p = pb.redirectOutput(out).redirectError(err).start();
    boolean done = p.waitFor(120, TimeUnit.SECONDS);
    if (!done) p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    assertTrue(done, "barista did not finish in 120 s: " + String.join(" ", args));
    return new Result(p.exitValue(), Files.readString(out.toPath(), StandardCharsets.UTF_8),
        Files.readString(err.toPath(), StandardCharsets.UTF_8));
  }
}
