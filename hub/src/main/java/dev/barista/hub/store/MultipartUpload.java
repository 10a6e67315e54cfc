package dev.barista.hub.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/** Uploads a large file in parts, a few at once: one PUT is capped at 5 GB and is slow alone. */
final class MultipartUpload {
  static final long THRESHOLD = 256L << 20;
  private static final long PART = 64L << 20;
  private static final int PARALLEL = 4;

  private final S3Client s3;
  private final String bucket;

  MultipartUpload(S3Client s3, String bucket) {
    this.s3 = s3;
    this.bucket = bucket;
  }

  void upload(String key, Path source, long size) throws IOException {
    String id = s3.createMultipartUpload(CreateMultipartUploadRequest.builder().bucket(bucket).key(key).build()).uploadId();
    try (ExecutorService pool = Executors.newFixedThreadPool(PARALLEL)) {
      List<Future<CompletedPart>> parts = new ArrayList<>();
      for (int i = 0; i * PART < size; i++) {
        int number = i + 1;
        long offset = i * PART;
        long length = Math.min(PART, size - offset);
        parts.add(pool.submit(() -> part(key, id, number, source, offset, length)));
      }
      List<CompletedPart> done = new ArrayList<>();
      for (Future<CompletedPart> f : parts) done.add(f.get());
      s3.completeMultipartUpload(CompleteMultipartUploadRequest.builder().bucket(bucket).key(key).uploadId(id)
          .multipartUpload(CompletedMultipartUpload.builder().parts(done).build()).build());
    } catch (InterruptedException | ExecutionException | RuntimeException e) {
      s3.abortMultipartUpload(AbortMultipartUploadRequest.builder().bucket(bucket).key(key).uploadId(id).build());
      if (e instanceof InterruptedException) Thread.currentThread().interrupt();
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new IOException(key + ": multipart upload failed: " + cause.getMessage(), cause);
    }
  }

  private CompletedPart part(String key, String id, int number, Path source, long offset, long length)
      throws IOException {
    try (FileChannel ch = FileChannel.open(source, StandardOpenOption.READ);
        InputStream in = Channels.newInputStream(ch.position(offset))) {
      String etag = s3.uploadPart(UploadPartRequest.builder().bucket(bucket).key(key).uploadId(id)
          .partNumber(number).contentLength(length).build(), RequestBody.fromInputStream(in, length)).eTag();
      return CompletedPart.builder().partNumber(number).eTag(etag).build();
    }
  }
}
