package dev.barista.server.http;

import dev.barista.server.api.ApiException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Bearer-token check for /v1 routes (as vLLM's --api-key). Keys are compared as SHA-256 digests
 * with MessageDigest.isEqual, so the time taken reveals neither the key nor its length.
 */
public final class ApiKeyCheck {
  private final byte[] expectedDigest;

  public ApiKeyCheck(String apiKey) {
    this.expectedDigest = apiKey == null || apiKey.isEmpty() ? null : sha256(apiKey);
  }

  public boolean enabled() {
    return expectedDigest != null;
  }

  /** Throws 401 unless the Authorization header carries the key. */
  public void check(String authorizationHeader) {
    if (expectedDigest == null) return;
    String given = authorizationHeader == null ? "" : authorizationHeader;
    if (given.regionMatches(true, 0, "Bearer ", 0, 7)) given = given.substring(7).trim();
    else given = "";
    boolean ok = MessageDigest.isEqual(expectedDigest, sha256(given));
    if (!ok || given.isEmpty()) {
      throw new ApiException(401, "AuthenticationError",
          "invalid or missing API key; send it as 'Authorization: Bearer <key>'", null);
    }
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
