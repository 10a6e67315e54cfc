package dev.barista.hub.store;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/** A bucket prefix on an S3-compatible server: s3://BUCKET/PREFIX. */
public final class S3BlobStore implements BlobStore {
  private static final int BUFFER = 1 << 20;

  private final URI uri;
  private final String bucket;
  private final String prefix;
  private final S3Client s3;
  private final MultipartUpload multipart;

  public S3BlobStore(URI uri, S3Settings settings, int maxConnections) {
    if (!"s3".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new IllegalArgumentException("not an s3://BUCKET/PREFIX URI: " + uri);
    }
    this.uri = uri;
    this.bucket = uri.getHost();
    String p = uri.getPath() == null ? "" : uri.getPath().replaceAll("^/+", "");
    this.prefix = p.isEmpty() || p.endsWith("/") ? p : p + "/";
    this.s3 = client(settings, maxConnections);
    this.multipart = new MultipartUpload(s3, bucket);
  }

  private static S3Client client(S3Settings settings, int maxConnections) {
    AwsCredentialsProvider credentials =
        settings.accessKey().isPresent() && settings.secretKey().isPresent()
            ? StaticCredentialsProvider.create(
                AwsBasicCredentials.create(settings.accessKey().get(), settings.secretKey().get()))
            : DefaultCredentialsProvider.builder().build();
    var builder =
        S3Client.builder()
            .region(Region.of(settings.region()))
            .credentialsProvider(credentials)
            .httpClientBuilder(
                ApacheHttpClient.builder()
                    .maxConnections(Math.max(4, maxConnections))
                    .socketTimeout(Duration.ofMinutes(2)))
            // Checksums only where S3 requires them: MinIO-likes do not all speak the newer headers.
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    settings.endpoint().ifPresent(e -> builder.endpointOverride(e)
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build()));
    return builder.build();
  }

  @Override
  public URI uri() {
    return uri;
  }

  private String objectKey(String key) {
    if (key.startsWith("/") || key.contains("../")) throw new IllegalArgumentException("bad key: " + key);
    return prefix + key;
  }

  @Override
  public List<Blob> list() throws IOException {
    try {
      List<Blob> out = new ArrayList<>();
      var pages = s3.listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).build());
      for (S3Object o : pages.contents()) {
        if (!o.key().endsWith("/")) out.add(new Blob(o.key().substring(prefix.length()), o.size()));
      }
      out.sort(Comparator.comparing(Blob::key));
      return out;
    } catch (SdkException e) {
      throw new IOException(uri + ": cannot list: " + e.getMessage(), e);
    }
  }

  @Override
  public boolean exists(String key) throws IOException {
    try {
      s3.headObject(HeadObjectRequest.builder().bucket(bucket).key(objectKey(key)).build());
      return true;
    } catch (NoSuchKeyException e) {
      return false;
    } catch (S3Exception e) {
      if (e.statusCode() == 404) return false;
      throw new IOException(uri + key + ": " + e.getMessage(), e);
    } catch (SdkException e) {
      throw new IOException(uri + key + ": " + e.getMessage(), e);
    }
  }

  @Override
  public long size(String key) throws IOException {
    try {
      return s3.headObject(HeadObjectRequest.builder().bucket(bucket).key(objectKey(key)).build()).contentLength();
    } catch (SdkException e) {
      throw new IOException(uri + key + ": " + e.getMessage(), e);
    }
  }

  @Override
  public InputStream open(String key) throws IOException {
    try {
      return s3.getObject(GetObjectRequest.builder().bucket(bucket).key(objectKey(key)).build());
    } catch (SdkException e) {
      throw new IOException(uri + key + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void read(String key, long offset, MemorySegment dst) throws IOException {
    long len = dst.byteSize();
    if (len == 0) return;
    String range = "bytes=" + offset + "-" + (offset + len - 1);
    try (InputStream in = s3.getObject(GetObjectRequest.builder().bucket(bucket).key(objectKey(key)).range(range).build())) {
      byte[] buf = new byte[(int) Math.min(BUFFER, len)];
      long pos = 0;
      while (pos < len) {
        int n = in.read(buf, 0, (int) Math.min(buf.length, len - pos));
        if (n < 0) throw new EOFException(uri + key + ": ends before byte " + (offset + len));
        MemorySegment.copy(buf, 0, dst, ValueLayout.JAVA_BYTE, pos, n);
        pos += n;
      }
    } catch (SdkException e) {
      throw new IOException(uri + key + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void put(String key, Path source) throws IOException {
    try {
      long size = java.nio.file.Files.size(source);
      if (size > MultipartUpload.THRESHOLD) {
        multipart.upload(objectKey(key), source, size);
      } else {
        s3.putObject(PutObjectRequest.builder().bucket(bucket).key(objectKey(key)).build(), RequestBody.fromFile(source));
      }
    } catch (SdkException e) {
      throw new IOException(uri + key + ": upload failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    s3.close();
  }
}
