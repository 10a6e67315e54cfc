package dev.barista.hub.store;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

/** A folder on a local (or mounted) file system; the default store. */
public final class LocalBlobStore implements BlobStore {
  private static final long MAX_READ = 1L << 30; // a ByteBuffer view is int-sized

  private final Path root;

  public LocalBlobStore(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  public Path root() {
    return root;
  }

  /** The local path of a key; refuses keys that climb out of the root. */
  public Path path(String key) {
    Path p = root.resolve(key).normalize();
    if (!p.startsWith(root)) throw new IllegalArgumentException("key escapes the store: " + key);
    return p;
  }

  @Override
  public URI uri() {
    return root.toUri();
  }

  @Override
  public List<Blob> list() throws IOException {
    if (!Files.isDirectory(root)) throw new NoSuchFileException(root + " (not a folder)");
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile)
          .map(p -> new Blob(root.relativize(p).toString().replace('\\', '/'), sizeOf(p)))
          .sorted(java.util.Comparator.comparing(Blob::key))
          .toList();
    }
  }

  private static long sizeOf(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      return -1;
    }
  }

  @Override
  public boolean exists(String key) {
    return Files.isRegularFile(path(key));
  }

  @Override
  public long size(String key) throws IOException {
    return Files.size(path(key));
  }

  @Override
  public InputStream open(String key) throws IOException {
    return Files.newInputStream(path(key));
  }

  @Override
  public void read(String key, long offset, MemorySegment dst) throws IOException {
    try (FileChannel ch = FileChannel.open(path(key), StandardOpenOption.READ)) {
      for (long done = 0; done < dst.byteSize(); ) {
        long n = Math.min(MAX_READ, dst.byteSize() - done);
        ByteBuffer bb = dst.asSlice(done, n).asByteBuffer();
        while (bb.hasRemaining()) {
          int r = ch.read(bb, offset + done + bb.position());
          if (r < 0) throw new EOFException(key + ": ends before byte " + (offset + dst.byteSize()));
        }
        done += n;
      }
    }
  }

  @Override
  public void put(String key, Path source) throws IOException {
    Path target = path(key);
    Files.createDirectories(target.getParent());
    if (Files.exists(target) && Files.isSameFile(source, target)) return;
    Path tmp = target.resolveSibling(target.getFileName() + ".part");
    Files.copy(source, tmp, StandardCopyOption.REPLACE_EXISTING);
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
