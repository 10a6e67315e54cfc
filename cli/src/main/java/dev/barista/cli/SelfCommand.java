package dev.barista.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The words that run this same Barista CLI again in a new process (control plane, BaristaApp replicas). */
final class SelfCommand {
  private SelfCommand() {}

  /** {@code $barista.home/bin/barista} when run through bin/barista, else this JVM with this classpath. */
  static List<String> words() {
    String home = System.getProperty("barista.home");
    if (home != null && Files.isExecutable(Path.of(home, "bin", "barista"))) return List.of(Path.of(home, "bin", "barista").toString());
    return javaWords();
  }

  /** This JVM, its module flags, the barista.* system properties (config and state folders), the classpath and Main. */
  static List<String> javaWords() {
    String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> words = new java.util.ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xss8m"));
    System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("barista.")).sorted()
        .forEach(k -> words.add("-D" + k + "=" + System.getProperty(k)));
    words.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
    return words;
  }
}
