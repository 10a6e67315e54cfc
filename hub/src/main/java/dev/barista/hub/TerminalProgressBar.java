package dev.barista.hub;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** One self-redrawing line: files done, a bar, bytes and rate. Redraws at most 10 times a second. */
final class TerminalProgressBar implements DownloadProgress {
  private static final int WIDTH = 30;
  private final PrintStream out;
  private final AtomicLong done = new AtomicLong();
  private final AtomicInteger filesDone = new AtomicInteger();
  private volatile long total = -1;
  private volatile int files;
  private volatile long startNanos;
  private volatile long lastDraw;

  TerminalProgressBar(PrintStream out) {
    this.out = out;
  }

  @Override
  public void begin(int files, long totalBytes) {
    this.files = files;
    this.total = totalBytes;
    this.startNanos = System.nanoTime();
    draw(true);
  }

  @Override
  public void advanced(long bytes) {
    done.addAndGet(bytes);
    draw(false);
  }

  @Override
  public void fileDone(String path) {
    filesDone.incrementAndGet();
    draw(true);
  }

  @Override
  public void end() {
    draw(true);
    out.println();
  }

  private void draw(boolean force) {
    long now = System.nanoTime();
    if (!force && now - lastDraw < 100_000_000L) return;
    lastDraw = now;
    long d = done.get();
    double secs = Math.max(1e-9, (now - startNanos) / 1e9);
    String bar = "";
    if (total > 0) {
      int fill = (int) Math.min(WIDTH, d * WIDTH / total);
      bar = "[" + "=".repeat(fill) + " ".repeat(WIDTH - fill) + "] ";
    }
    String line =
        String.format(
            Locale.ROOT,
            "Fetching %d/%d files %s%s/%s %s/s",
            filesDone.get(), files, bar, human(d), total >= 0 ? human(total) : "?", human((long) (d / secs)));
    synchronized (out) {
      out.print("\r" + line + "\u001b[K");
      out.flush();
    }
  }

  static String human(long bytes) {
    if (bytes < 1024) return bytes + " B";
    String[] units = {"kB", "MB", "GB", "TB"};
    double v = bytes;
    int u = -1;
    while (v >= 1000 && u < units.length - 1) {
      v /= 1000;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }
}
