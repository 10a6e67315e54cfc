package dev.barista.hub.store;

import java.net.URI;
import java.nio.file.Path;

/** Opens the store a URI names: s3://BUCKET/PREFIX, file:///PATH, or a plain local path. */
public final class BlobStores {
  private BlobStores() {}

  public static boolean isS3(String location) {
    return location.startsWith("s3://");
  }

  public static boolean isFileUri(String location) {
    return location.startsWith("file:");
  }

  public static BlobStore open(String location, S3Settings s3, int parallelism) {
    if (isS3(location)) return new S3BlobStore(URI.create(location), s3, parallelism);
    return new LocalBlobStore(localPath(location));
  }

  public static BlobStore open(String location) {
    return open(location, S3Settings.fromEnvironment(), 16);
  }

  /** The folder of a file: URI or plain path. */
  public static Path localPath(String location) {
    if (isFileUri(location)) return Path.of(URI.create(location));
    if (location.contains("://")) throw new IllegalArgumentException("unsupported store URI: " + location + " (use a path, file:// or s3://)");
    return Path.of(location);
  }
}
