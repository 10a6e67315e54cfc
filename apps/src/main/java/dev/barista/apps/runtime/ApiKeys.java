package dev.barista.apps.runtime;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Per-app API keys: random, shown once; only their SHA-256 is stored and compared in constant time. */
public final class ApiKeys {
  private static final SecureRandom RANDOM = new SecureRandom();

  private ApiKeys() {}

  public static String newKey() {
    byte[] b = new byte[24];
    RANDOM.nextBytes(b);
    return "bk-" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  public static String hash(String key) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether an Authorization header value carries the key whose hash is {@code expectedHash}. */
  public static boolean matches(String authorization, String expectedHash) {
    if (authorization == null || expectedHash == null) return false;
    String a = authorization.trim();
    if (!a.regionMatches(true, 0, "Bearer ", 0, 7)) return false;
    byte[] got = hash(a.substring(7).trim()).getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(got, expectedHash.getBytes(StandardCharsets.US_ASCII));
  }
}
