package dev.barista.engine.core;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Identity of a full KV block's contents: a hash of its parent block's hash and its own tokens, so
 * equal hashes mean equal whole prefixes. 128 bits of SHA-256 make accidental collisions (which
 * would silently reuse wrong KV) practically impossible, unlike a 32/64-bit hashCode.
 */
public record BlockHash(long high, long low) {

  /** The hash of the block holding {@code tokens[from .. from+length)}, after {@code parent}. */
  public static BlockHash of(BlockHash parent, int[] tokens, int from, int length) {
    ByteBuffer buf = ByteBuffer.allocate(16 + 4 * length);
    if (parent != null) buf.putLong(parent.high).putLong(parent.low);
    else buf.putLong(0).putLong(0);
    for (int i = 0; i < length; i++) buf.putInt(tokens[from + i]);
    ByteBuffer digest = ByteBuffer.wrap(sha256().digest(buf.array()));
    return new BlockHash(digest.getLong(), digest.getLong());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
    }
  }
}
