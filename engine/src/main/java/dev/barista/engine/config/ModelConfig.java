package dev.barista.engine.config;

/** Placeholder: the parsed config.json. The engine-core work fills it in. */
public class ModelConfig {}
