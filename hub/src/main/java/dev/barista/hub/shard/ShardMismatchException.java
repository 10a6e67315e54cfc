package dev.barista.hub.shard;

/** A sharded model was asked to load with a tensor-parallel degree it was not made for. */
public final class ShardMismatchException extends RuntimeException {
  public ShardMismatchException(String message) {
    super(message);
  }
}
