package dev.barista.server.api;

/** OpenAI's error body: {"error": {"message", "type", "param", "code"}}; code is the HTTP status. */
public record ErrorBody(Detail error) {

  public record Detail(String message, String type, String param, int code) {}

  public static ErrorBody of(ApiException e) {
    return new ErrorBody(new Detail(e.getMessage(), e.type(), e.param(), e.status()));
  }
}
