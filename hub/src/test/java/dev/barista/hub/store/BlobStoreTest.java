package dev.barista.hub.store;

import static org.junit.jupiter.api.Assertions.*;

import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same contract on a local folder and on a real S3-compatible server. */
class BlobStoreTest {
  @TempDir static Path tmp;
  static S3ProxyServer server;

  @BeforeAll
  static void startServer() throws Exception {
    server = new S3ProxyServer(Files.createDirectories(tmp.resolve("s3data")), "models");
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  private static byte[] randomBytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  void roundTrip(BlobStore store) throws Exception {
    byte[] big = randomBytes(2_500_000, 1);
    byte[] small = "{\"a\": 1}".getBytes();
    Path src = tmp.resolve("src-" + System.nanoTime());
    Files.createDirectories(src);
    Files.write(src.resolve("big.bin"), big);
    Files.write(src.resolve("config.json"), small);

    store.put("config.json", src.resolve("config.json"));
    store.put("rank-1/model.safetensors", src.resolve("big.bin"));

    assertEquals(List.of(new BlobStore.Blob("config.json", small.length),
        new BlobStore.Blob("rank-1/model.safetensors", big.length)), store.list());
    assertTrue(store.exists("config.json"));
    assertFalse(store.exists("nope.json"));
    assertEquals(big.length, store.size("rank-1/model.safetensors"));
    try (InputStream in = store.open("config.json")) {
      assertArrayEquals(small, in.readAllBytes());
    }
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment dst = arena.allocate(1_000_003);
      store.read("rank-1/model.safetensors", 777_777, dst);
      assertArrayEquals(Arrays.copyOfRange(big, 777_777, 777_777 + 1_000_003), dst.toArray(ValueLayout.JAVA_BYTE));
    }
  }

  @Test
  void localFolder() throws Exception {
    try (BlobStore store = BlobStores.open(tmp.resolve("local-store").toString())) {
      Files.createDirectories(tmp.resolve("local-store"));
      roundTrip(store);
    }
  }

  @Test
  void fileUri() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("file-uri-store"));
    try (BlobStore store = BlobStores.open(dir.toUri().toString())) {
      assertInstanceOf(LocalBlobStore.class, store);
      roundTrip(store);
    }
  }

  @Test
  void s3CompatibleServer() throws Exception {
    try (BlobStore store = BlobStores.open("s3://models/qwen/tiny", server.settings(), 4)) {
      roundTrip(store);
    }
  }

  @Test
  void s3MultipartUploadOfALargeFile() throws Exception {
    Path big = tmp.resolve("large.bin");
    long size = MultipartUpload.THRESHOLD + 5_000_123;
    try (var ch = java.nio.channels.FileChannel.open(big, java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.wrap(randomBytes(4096, 3)), size - 4096); // sparse, random tail
    }
    try (BlobStore store = BlobStores.open("s3://models/large", server.settings(), 4)) {
      store.put("large.bin", big);
      assertEquals(size, store.size("large.bin"));
      try (Arena arena = Arena.ofConfined()) {
        MemorySegment tail = arena.allocate(4096);
        store.read("large.bin", size - 4096, tail);
        assertArrayEquals(randomBytes(4096, 3), tail.toArray(ValueLayout.JAVA_BYTE));
      }
    }
  }

  @Test
  void wrongCredentialsAreRefused() {
    S3Settings bad = new S3Settings(java.util.Optional.of(server.endpoint()), "us-east-1",
        java.util.Optional.of(S3ProxyServer.ACCESS_KEY), java.util.Optional.of("wrong"));
    try (BlobStore store = BlobStores.open("s3://models/x", bad, 2)) {
      assertThrows(java.io.IOException.class, store::list);
    }
  }
}
