package dev.barista.engine.config;

import java.nio.file.Path;

/** The model folder (or a file it must contain, such as config.json) does not exist. */
public class ModelFolderNotFoundException extends ModelLoadException {
  public ModelFolderNotFoundException(Path path, String what) {
    super(what + " not found: " + path);
  }
}
