package dev.barista.cli;

import dev.barista.apps.control.ControlPlaneClient;
import dev.barista.apps.secrets.BaristaDirs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Finds the running control plane, or starts one in the background for `barista deploy`. */
final class ControlPlanes {
  private static final long START_TIMEOUT_MILLIS = 60_000;

  private ControlPlanes() {}

  static ControlPlaneClient require(BaristaDirs dirs) {
    return ControlPlaneClient.find(dirs.config()).orElseThrow(() -> new IllegalStateException(
        "no control plane is running; start one with: barista deploy APP.yaml (or barista apps controlplane)"));
  }

  static ControlPlaneClient findOrStart(BaristaDirs dirs, String host, int port) {
    var running = ControlPlaneClient.find(dirs.config());
    if (running.isPresent()) return running.get();
    Path log = dirs.state().resolve("controlplane.log");
    List<String> cmd = new ArrayList<>(SelfCommand.words());
    cmd.addAll(List.of("apps", "controlplane", "--host", host, "--port", Integer.toString(port)));
    Process p;
    try {
      Files.createDirectories(log.getParent());
      p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the control plane: " + e.getMessage(), e);
    }
    long end = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
    while (System.currentTimeMillis() < end) {
      var found = ControlPlaneClient.find(dirs.config());
      if (found.isPresent()) {
        System.err.println("started a control plane on " + found.get().url() + " (pid " + p.pid() + ", log " + log + ")");
        return found.get();
      }
      if (!p.isAlive()) throw new IllegalStateException("the control plane did not start: " + lastLine(log) + " (log: " + log + ")");
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new IllegalStateException("the control plane did not answer within 60 s (log: " + log + ")");
  }

  private static String lastLine(Path log) {
    try {
      List<String> lines = Files.readAllLines(log).stream().filter(l -> !l.isBlank() && !l.startsWith("WARNING")).toList();
      return lines.isEmpty() ? "no output" : lines.get(lines.size() - 1);
    } catch (IOException e) {
      return "no log";
    }
  }
}
