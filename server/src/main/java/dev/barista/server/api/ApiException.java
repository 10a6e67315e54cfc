package dev.barista.server.api;

/**
 * A request the server refuses, carrying everything OpenAI's error shape needs:
 * {"error": {"message", "type", "param", "code"}}.
 */
public class ApiException extends RuntimeException {
  private final int status;
  private final String type;
  private final String param;

  public ApiException(int status, String type, String message, String param) {
    super(message);
    this.status = status;
    this.type = type;
    this.param = param;
  }

  /** 400 for one invalid field; {@code param} names it as the client wrote it (snake_case). */
  public static ApiException invalid(String param, String message) {
    return new ApiException(400, "BadRequestError", message, param);
  }

  public static ApiException notFound(String message) {
    return new ApiException(404, "NotFoundError", message, null);
  }

  public int status() {
    return status;
  }

  public String type() {
    return type;
  }

  public String param() {
    return param;
  }
}
