package dev.barista.engine.config;

import java.util.Collection;

/** config.json names an architecture Barista cannot run. */
public class UnsupportedArchitectureException extends ModelLoadException {
  public UnsupportedArchitectureException(String architecture, Collection<String> supported) {
    super("unsupported architecture " + architecture + "; supported: " + String.join(", ", supported));
  }
}
