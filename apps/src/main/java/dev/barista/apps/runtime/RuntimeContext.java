package dev.barista.apps.runtime;

import dev.barista.apps.spec.SecretResolver;
import dev.barista.apps.state.StateStore;
import java.net.http.HttpClient;
import java.nio.file.Path;

/** What every app controller shares: how to launch, secrets, the HTTP client, the database, logs. */
public record RuntimeContext(
    Launcher launcher, SecretResolver secrets, HttpClient http, StateStore store, Path logDir, RuntimeSettings settings) {}
