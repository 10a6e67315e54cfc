package dev.barista.apps.spec;

/**
 * URLs of apps behind one gateway. Public URLs route by host (custom_domain, or subdomain/name under
 * the domain); local URLs route by the path prefix {@code /apps/NAME}.
 */
public record Endpoints(String host, int port, String defaultDomain) {
  public static final String PATH_PREFIX = "/apps/";

  public String url(AppSpec app, boolean isPublic) {
    if (!isPublic) return "http://" + host + ":" + port + PATH_PREFIX + app.name();
    return "http://" + host(app) + ":" + port;
  }

  /** The host name that routes to the app: its custom domain, or SUBDOMAIN-or-NAME.DOMAIN. */
  public String host(AppSpec app) {
    if (app.customDomain() != null) return app.customDomain();
    String domain = app.domain() != null ? app.domain() : defaultDomain;
    return (app.subdomain() != null ? app.subdomain() : app.name()) + "." + domain;
  }
}
