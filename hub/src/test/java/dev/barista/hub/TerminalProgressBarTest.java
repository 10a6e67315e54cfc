package dev.barista.hub;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TerminalProgressBarTest {
  @Test
  void redrawsOneLineWithFilesBarAndBytes() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    TerminalProgressBar bar = new TerminalProgressBar(new PrintStream(buf, true, StandardCharsets.UTF_8));
    bar.begin(2, 3_000_000);
    bar.advanced(1_500_000);
    bar.fileDone("a");
    bar.advanced(1_500_000);
    bar.fileDone("b");
    bar.end();
    String out = buf.toString(StandardCharsets.UTF_8);
    String[] frames = out.split("\r");
    String last = frames[frames.length - 1];
    assertTrue(last.startsWith("Fetching 2/2 files [" + "=".repeat(30) + "] 3.0 MB/3.0 MB"), last);
    assertTrue(out.contains("Fetching 1/2 files [" + "=".repeat(15) + " ".repeat(15) + "] 1.5 MB/3.0 MB"), out);
    assertTrue(out.endsWith(System.lineSeparator()), "the line is closed at the end");
  }

  @Test
  void humanSizes() {
    assertEquals("999 B", TerminalProgressBar.human(999));
    assertEquals("1.5 GB", TerminalProgressBar.human(1_500_000_000L));
  }
}
