package dev.barista.hub;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * huggingface_hub's cache layout, so Python tools and Barista share one cache:
 * models--ORG--NAME/blobs/ETAG (content), snapshots/COMMIT/PATH (relative symlinks to blobs) and
 * refs/REVISION (the commit a branch or tag pointed at).
 */
public final class HubCache {
  private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");

  private final Path root;

  public HubCache(Path root) {
    this.root = root;
  }

  public Path root() {
    return root;
  }

  public Path repoDir(RepoId repo) {
    return root.resolve(repo.cacheFolderName());
  }

  public Path blob(RepoId repo, String etag) {
    return repoDir(repo).resolve("blobs").resolve(etag);
  }

  /** Where a blob is written until it is complete and verified; kept across runs for resuming. */
  public Path incompleteBlob(RepoId repo, String etag) {
    return repoDir(repo).resolve("blobs").resolve(etag + ".incomplete");
  }

  /**
   * The lock file guarding one blob's download, at huggingface_hub's place
   * (.locks/models--ORG--NAME/ETAG.lock), so concurrent processes do not write one blob twice.
   */
  public Path lockFile(RepoId repo, String etag) {
    return root.resolve(".locks").resolve(repo.cacheFolderName()).resolve(etag + ".lock");
  }

  public Path snapshotDir(RepoId repo, String commit) {
    return repoDir(repo).resolve("snapshots").resolve(commit);
  }

  public static boolean isCommitHash(String revision) {
    return COMMIT.matcher(revision).matches();
  }

  /** The commit a revision resolves to from the cache alone. */
  public Optional<String> commitFor(RepoId repo, String revision) {
    if (isCommitHash(revision)) {
      return Files.isDirectory(snapshotDir(repo, revision)) ? Optional.of(revision) : Optional.empty();
    }
    Path ref = repoDir(repo).resolve("refs").resolve(revision);
    try {
      if (!Files.isRegularFile(ref)) return Optional.empty();
      String commit = Files.readString(ref, StandardCharsets.UTF_8).strip();
      return commit.isEmpty() ? Optional.empty() : Optional.of(commit);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void writeRef(RepoId repo, String revision, String commit) throws IOException {
    if (revision.equals(commit)) return;
    Path ref = repoDir(repo).resolve("refs").resolve(revision);
    Files.createDirectories(ref.getParent());
    // a name of its own per writer: concurrent fetches of one repo each rename their own file
    Path tmp = ref.resolveSibling(ref.getFileName() + "." + java.util.UUID.randomUUID() + ".tmp");
    Files.writeString(tmp, commit, StandardCharsets.UTF_8);
    Files.move(tmp, ref, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Points snapshots/COMMIT/PATH at blobs/ETAG with a relative link, as huggingface_hub does. */
  public Path link(RepoId repo, String commit, String path, String etag) throws IOException {
    Path file = snapshotDir(repo, commit).resolve(path);
    Files.createDirectories(file.getParent());
    Path target = file.getParent().relativize(blob(repo, etag));
    if (Files.isSymbolicLink(file) && Files.readSymbolicLink(file).equals(target)) return file;
    // made aside and renamed over: concurrent fetches of one snapshot never see a missing file
    Path tmp = file.resolveSibling(file.getFileName() + "." + java.util.UUID.randomUUID() + ".tmp");
    try {
      Files.createSymbolicLink(tmp, target);
    } catch (UnsupportedOperationException | IOException e) {
      Files.copy(blob(repo, etag), tmp); // file systems without links: a copy is still a valid cache
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return file;
  }

  /** The cached file of a snapshot, if present and its blob is there. */
  public Optional<Path> snapshotFile(RepoId repo, String commit, String path) {
    Path file = snapshotDir(repo, commit).resolve(path);
    return Files.exists(file) ? Optional.of(file) : Optional.empty();
  }
}
