package dev.barista.apps.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Turns a replica's argv into something runnable here. {@code barista} resolves to the configured
 * command (tests run the CLI from their classpath), else {@code $barista.home/bin/barista}, else
 * {@code barista} on PATH; {@code vllm} and {@code python -m sglang...} must be installed, and when they
 * are not the error says so instead of a replica failing in a loop.
 */
public final class Launcher {
  private final List<String> baristaCommand;

  /** @param baristaCommand the words that run the Barista CLI, or null to look it up */
  public Launcher(List<String> baristaCommand) {
    this.baristaCommand = baristaCommand == null ? null : List.copyOf(baristaCommand);
  }

  public List<String> resolve(List<String> argv) {
    if (argv.isEmpty()) throw new LaunchException("the app has an empty command");
    String program = argv.get(0);
    List<String> out = new ArrayList<>();
    switch (program) {
      case "barista" -> out.addAll(barista());
      case "vllm" -> out.add(onPath("vllm").orElseThrow(() ->
          new LaunchException("vLLM is not installed here (no 'vllm' on PATH); install it with: pip install vllm")));
      case "python" -> {
        String python = onPath("python").or(() -> onPath("python3")).orElseThrow(() ->
            new LaunchException("python is not installed here (no 'python' or 'python3' on PATH)"));
        if (argv.size() > 2 && argv.get(1).equals("-m") && argv.get(2).startsWith("sglang.")) requireModule(python, "sglang");
        out.add(python);
      }
      default -> out.add(program);
    }
    out.addAll(argv.subList(1, argv.size()));
    return out;
  }

  private List<String> barista() {
    if (baristaCommand != null) return baristaCommand;
    String home = System.getProperty("barista.home");
    if (home != null && Files.isExecutable(Path.of(home, "bin", "barista"))) return List.of(Path.of(home, "bin", "barista").toString());
    return List.of(onPath("barista").orElseThrow(() ->
        new LaunchException("cannot find the barista command: run through bin/barista or put barista on PATH")));
  }

  private static void requireModule(String python, String module) {
    try {
      Process p = new ProcessBuilder(python, "-c", "import " + module).redirectErrorStream(true).start();
      p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
      if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly();
      if (p.exitValue() != 0)
        throw new LaunchException("SGLang is not installed for " + python + "; install it with: pip install \"sglang[all]\"");
    } catch (java.io.IOException e) {
      throw new LaunchException("cannot run " + python + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LaunchException("interrupted while checking for SGLang");
    }
  }

  static java.util.Optional<String> onPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) return java.util.Optional.empty();
    for (String dir : path.split(java.io.File.pathSeparator)) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p) && !Files.isDirectory(p)) return java.util.Optional.of(p.toString());
    }
    return java.util.Optional.empty();
  }

  /** The app's program cannot run on this machine. */
  public static final class LaunchException extends RuntimeException {
    public LaunchException(String message) {
      super(message);
    }
  }
}
