package dev.barista.apps.gateway;

/** The control plane's own API, served by the gateway under {@code /_barista/}. */
public interface AdminApi {
  String PREFIX = "/_barista/";

  /** A JSON answer. */
  record Reply(int status, String json) {}

  Reply handle(String method, String pathAndQuery, String authorization, byte[] body);
}
