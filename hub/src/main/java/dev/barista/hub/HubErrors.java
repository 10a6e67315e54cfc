package dev.barista.hub;

import java.net.http.HttpResponse;

/** Turns a hub HTTP status into a message a user can act on. */
final class HubErrors {
  private HubErrors() {}

  static HubException forStatus(HttpResponse<?> response, String what) {
    int code = response.statusCode();
    String reason =
        switch (code) {
          case 401, 403 ->
              "access denied (HTTP " + code + "): the repo is gated or private; set HF_TOKEN or write a token to $HF_HOME/token";
          case 404 -> "not found (HTTP 404): check the repo id, revision and file name";
          case 416 -> "the server refused the byte range (HTTP 416)";
          case 429 -> "rate limited by the hub (HTTP 429); try again later";
          default -> "HTTP " + code;
        };
    return new HubException(what + ": " + reason);
  }
}
