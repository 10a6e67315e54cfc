package dev.barista.server.http;

/** Handles one route; throws ApiException (or InvalidParameterException) for a refused request. */
@FunctionalInterface
public interface Endpoint {
  void handle(Exchange exchange) throws Exception;
}
