package dev.barista.cuda.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The committed kernel images must come from the committed sources: SOURCES.sha256 (written by
 * build-kernels.sh) lists each source's hash. A .cu or .cuh edited without running
 * cuda/build-kernels.sh fails here, on any machine, with or without nvcc.
 */
class KernelImagesTest {
  static final Path SOURCES = Path.of("src/main/cuda");
  static final Path IMAGES = Path.of("src/main/resources/dev/barista/cuda/kernels");

  @Test
  void everySourceMatchesTheHashRecordedWhenItsImageWasBuilt() throws Exception {
    Map<String, String> recorded = new TreeMap<>();
    for (String line : Files.readAllLines(IMAGES.resolve("SOURCES.sha256"))) {
      if (line.startsWith("#") || line.isBlank()) continue;
      String[] parts = line.trim().split("\\s+");
      recorded.put(parts[1], parts[0]);
    }
    Map<String, String> actual = new TreeMap<>();
    try (Stream<Path> files = Files.list(SOURCES)) {
      for (Path p : files.toList()) {
        String name = p.getFileName().toString();
        if (name.endsWith(".cu") || name.endsWith(".cuh")) actual.put(name, sha256(p));
      }
    }
    assertEquals(
        recorded, actual, "kernel sources changed since the images were built: run cuda/build-kernels.sh");
  }

  @Test
  void everyKernelSourceHasAnImageOnTheClassPath() throws IOException {
    try (Stream<Path> files = Files.list(SOURCES)) {
      for (Path p : files.filter(f -> f.toString().endsWith(".cu")).toList()) {
        String image = p.getFileName().toString().replace(".cu", ".fatbin");
        byte[] bytes = KernelModule.readResource(image);
        // a fatbin starts with its magic number 0xBA55ED50 (little-endian)
        assertTrue(bytes.length > 16, image);
        assertEquals(0x50, bytes[0] & 0xff, image);
        assertEquals(0xed, bytes[1] & 0xff, image);
        assertEquals(0x55, bytes[2] & 0xff, image);
        assertEquals(0xba, bytes[3] & 0xff, image);
      }
    }
  }

  @Test
  void imagesHoldHopperCodeAndPortablePtx() throws IOException {
    String flags = Files.readAllLines(IMAGES.resolve("SOURCES.sha256")).get(0);
    assertTrue(flags.contains("code=sm_90a"), flags);
    assertTrue(flags.contains("code=compute_80"), flags);
    byte[] image = KernelModule.readResource("attention.fatbin");
    String text = new String(image, StandardCharsets.ISO_8859_1);
    assertTrue(text.contains("paged_attention_d128"), "kernel names present");
  }

  static String sha256(Path p) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
  }
}
