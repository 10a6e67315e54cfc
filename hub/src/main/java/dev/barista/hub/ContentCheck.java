package dev.barista.hub;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Checks downloaded bytes against the hub's ETag: LFS files carry their sha256 (64 hex digits),
 * small files the git blob id, sha1("blob SIZE\0" + content) (40 hex digits). Other ETags only get
 * the size check.
 */
final class ContentCheck {
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern SHA1 = Pattern.compile("[0-9a-f]{40}");

  private final MessageDigest digest;
  private final String expected;

  private ContentCheck(MessageDigest digest, String expected) {
    this.digest = digest;
    this.expected = expected;
  }

  /** A check for a file with this ETag and size; a no-op digest when the ETag is no hash we know. */
  static ContentCheck forEtag(String etag, long size) {
    try {
      if (SHA256.matcher(etag).matches()) {
        return new ContentCheck(MessageDigest.getInstance("SHA-256"), etag);
      }
      if (SHA1.matcher(etag).matches() && size >= 0) {
        MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
        sha1.update(("blob " + size + "\0").getBytes(StandardCharsets.US_ASCII));
        return new ContentCheck(sha1, etag);
      }
      return new ContentCheck(null, null);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  void update(byte[] bytes, int off, int len) {
    if (digest != null) digest.update(bytes, off, len);
  }

  /** Throws naming the file when the digest differs from the ETag. */
  void verify(String file) {
    if (digest == null) return;
    String actual = HexFormat.of().formatHex(digest.digest());
    if (!actual.equals(expected)) {
      throw new IntegrityException(
          file + ": checksum mismatch (expected " + expected + ", got " + actual + "); the download is corrupt");
    }
  }
}
