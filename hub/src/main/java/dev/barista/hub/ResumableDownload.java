package dev.barista.hub;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Downloads one blob into BLOB.incomplete, resuming with a Range request after a broken transfer
 * (in this run or an earlier one), then checks size and checksum before moving it into place.
 */
final class ResumableDownload {
  static final int ATTEMPTS = 5;
  private static final int BUFFER = 1 << 20;
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-\\d+/(\\d+|\\*)");

  private final HubHttp http;
  private final DownloadProgress progress;
  private long reported;
  /** Hashes the bytes as they arrive, so a finished download is not read again to be checked. */
  private ContentCheck check;
  private long checked;

  ResumableDownload(HubHttp http, DownloadProgress progress) {
    this.http = http;
    this.progress = progress;
  }

  /** Fetches uri into blob (no-op when the blob is already there); the name is for messages. */
  void fetch(URI uri, String name, String etag, long size, Path incomplete, Path blob) {
    if (Files.exists(blob)) {
      progress.advanced(Math.max(0, size));
      progress.fileDone(name);
      return;
    }
    IOException last = null;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        transfer(uri, name, etag, size, incomplete);
        last = null;
        break;
      } catch (IOException e) {
        last = e;
        pause(attempt);
      }
    }
    if (last != null) {
      throw new HubException(name + ": download failed after " + ATTEMPTS + " attempts: " + last.getMessage(), last);
    }
    verifyAndPublish(name, etag, size, incomplete, blob);
  }

  private void transfer(URI uri, String name, String etag, long size, Path incomplete) throws IOException {
    Files.createDirectories(incomplete.getParent());
    long have = Files.exists(incomplete) ? Files.size(incomplete) : 0;
    if (size >= 0 && have > size) have = truncate(incomplete);
    if (size >= 0 && have == size && size > 0) {
      report(have);
      return; // complete from an earlier run that stopped before publishing
    }
    Map<String, String> headers = have > 0 ? Map.of("Range", "bytes=" + have + "-") : Map.of();
    HttpResponse<InputStream> response = http.getStream(uri, headers);
    int code = response.statusCode();
    if (code == 200) {
      have = truncate(incomplete); // the server ignored the range: start over
    } else if (code == 206) {
      if (rangeStart(response) != have) {
        HubHttp.discard(response);
        truncate(incomplete);
        throw new IOException("server answered a different byte range; restarting");
      }
    } else {
      HubHttp.discard(response);
      if (code == 416 && size >= 0 && have == size) return;
      throw HubErrors.forStatus(response, name);
    }
    report(have);
    if (check == null || checked != have) { // first attempt, or resuming: hash what is on disk
      check = ContentCheck.forEtag(etag, size);
      checked = hashFile(incomplete, have, check);
    }
    try (InputStream in = response.body();
        FileChannel out =
            FileChannel.open(incomplete, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      byte[] buf = new byte[BUFFER];
      int n;
      while ((n = in.read(buf)) > 0) {
        check.update(buf, 0, n);
        checked += n;
        ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
        while (bb.hasRemaining()) out.write(bb);
        have += n;
        report(have);
      }
    }
    if (size >= 0 && have < size) throw new IOException("connection closed after " + have + " of " + size + " bytes");
  }

  private void verifyAndPublish(String name, String etag, long size, Path incomplete, Path blob) {
    try {
      long actual = Files.size(incomplete);
      if (size >= 0 && actual != size) {
        Files.deleteIfExists(incomplete);
        throw new IntegrityException(name + ": size mismatch (expected " + size + " bytes, got " + actual + ")");
      }
      ContentCheck full = check;
      if (full == null || checked != actual) { // the bytes did not all arrive in this run
        full = ContentCheck.forEtag(etag, actual);
        hashFile(incomplete, actual, full);
      }
      try {
        full.verify(name);
      } catch (IntegrityException e) {
        Files.deleteIfExists(incomplete); // a corrupt partial would poison every later resume
        throw e;
      }
      Files.move(incomplete, blob, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      progress.fileDone(name);
    } catch (IOException e) {
      throw new HubException(name + ": cannot write the cache: " + e.getMessage(), e);
    }
  }

  /** Feeds the first length bytes of file (if it exists) to check; returns the bytes hashed. */
  private static long hashFile(Path file, long length, ContentCheck check) throws IOException {
    if (length == 0 || !Files.exists(file)) return 0;
    long done = 0;
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[BUFFER];
      int n;
      while (done < length && (n = in.read(buf, 0, (int) Math.min(buf.length, length - done))) > 0) {
        check.update(buf, 0, n);
        done += n;
      }
    }
    return done;
  }

  private static long rangeStart(HttpResponse<?> response) {
    String cr = response.headers().firstValue("Content-Range").orElse("");
    Matcher m = CONTENT_RANGE.matcher(cr);
    return m.matches() ? Long.parseLong(m.group(1)) : -1;
  }

  private long truncate(Path file) throws IOException {
    Files.deleteIfExists(file);
    report(0);
    return 0;
  }

  private void report(long bytesInFile) {
    progress.advanced(bytesInFile - reported);
    reported = bytesInFile;
  }

  private static void pause(int attempt) {
    try {
      Thread.sleep(100L * attempt * attempt);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
