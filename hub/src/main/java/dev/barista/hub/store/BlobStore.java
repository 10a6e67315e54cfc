package dev.barista.hub.store;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * A place that holds model files under keys ("config.json", "rank-0/model.safetensors"), relative
 * to the store's root URI: a local folder, or a bucket prefix on an S3-compatible server.
 * Implementations are safe to use from several threads at once (parallel range reads).
 */
public interface BlobStore extends AutoCloseable {

  /** A key and its size. */
  record Blob(String key, long size) {}

  URI uri();

  /** Every blob under the root (recursively), keys sorted. */
  List<Blob> list() throws IOException;

  boolean exists(String key) throws IOException;

  long size(String key) throws IOException;

  InputStream open(String key) throws IOException;

  /** Fills dst with the bytes at [offset, offset + dst.byteSize()) of the blob. */
  void read(String key, long offset, MemorySegment dst) throws IOException;

  /** Stores a local file under key, replacing what was there. */
  void put(String key, Path source) throws IOException;

  @Override
  default void close() {}
}
