package dev.barista.apps.gateway;

import dev.barista.apps.runtime.AppController;

/** Where a request goes: an app, and the path (with query) to ask its replica for. */
public record Route(AppController app, String upstreamPath) {}
