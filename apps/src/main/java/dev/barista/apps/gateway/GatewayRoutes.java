package dev.barista.apps.gateway;

import java.util.List;
import java.util.Optional;

/** The gateway's view of the deployed apps. */
public interface GatewayRoutes {
  /**
   * Finds the app for a request: by host (custom domain, or subdomain under the domain), else by the
   * path prefix {@code /apps/NAME}, else by the JSON body's {@code model} field.
   */
  Optional<Route> resolve(String host, String pathAndQuery, byte[] body);

  /** Whether the Authorization header value lets the caller use the app (always true without requires_auth). */
  boolean authorized(Route route, String authorization);

  /** Model ids of the running apps this caller may use, for {@code GET /v1/models} at the root. */
  List<String> modelsFor(String authorization);
}
