package dev.barista.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A Hugging Face hub client: resolves a revision to a commit, lists the repo's files, downloads
 * several at once into the shared cache (resuming, verifying), and serves from the cache offline.
 */
public final class HubClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HubSettings settings;
  private final HubCache cache;
  private final HubHttp http;
  private final int parallelism;

  public HubClient(HubSettings settings) {
    this(settings, 8);
  }

  public HubClient(HubSettings settings, int parallelism) {
    this.settings = settings;
    this.cache = new HubCache(settings.hubCache());
    this.http = new HubHttp(settings);
    this.parallelism = Math.max(1, parallelism);
  }

  public HubCache cache() {
    return cache;
  }

  /** A listed file: its path and size (-1 when the listing gives none). */
  public record ListedFile(String path, long size) {}

  /** A revision resolved on the hub: its commit and files. */
  public record RepoListing(RepoId repo, String commit, List<ListedFile> files) {}

  /** Resolves a revision and lists the repo's files through the hub API. */
  public RepoListing list(RepoId repo, String revision) throws IOException {
    requireOnline(repo);
    URI uri = URI.create(settings.endpoint() + "/api/models/" + repo.id() + "/revision/" + encode(revision) + "?blobs=true");
    HttpResponse<String> response = http.getString(uri);
    if (response.statusCode() != 200) throw HubErrors.forStatus(response, repo + "@" + revision);
    JsonNode root = JSON.readTree(response.body());
    String commit = root.path("sha").asText(null);
    if (commit == null) throw new HubException(repo + "@" + revision + ": the hub gave no commit sha");
    List<ListedFile> files = new ArrayList<>();
    for (JsonNode s : root.path("siblings")) {
      long size = s.path("lfs").path("size").asLong(s.path("size").asLong(-1));
      files.add(new ListedFile(s.path("rfilename").asText(), size));
    }
    return new RepoListing(repo, commit, List.copyOf(files));
  }

  /** The metadata the resolve endpoint gives for one file (HEAD, redirects to other hosts not followed). */
  public RemoteFile metadata(RepoId repo, String revision, String path) throws IOException {
    requireOnline(repo);
    URI uri = resolveUri(repo, revision, path);
    HttpResponse<Void> response = http.head(uri);
    for (int hop = 0; hop < 5 && isRedirect(response.statusCode()); hop++) {
      URI next = uri.resolve(response.headers().firstValue("Location").orElseThrow());
      if (!http.isHubHost(next)) break; // a CDN redirect: the hub's own headers say all we need
      uri = next;
      response = http.head(uri);
    }
    int code = response.statusCode();
    if (code >= 400) throw HubErrors.forStatus(response, repo + "/" + path + "@" + revision);
    var h = response.headers();
    String commit = h.firstValue("X-Repo-Commit").orElse(HubCache.isCommitHash(revision) ? revision : null);
    String etag = h.firstValue("X-Linked-Etag").or(() -> h.firstValue("ETag")).map(HubClient::normalizeEtag).orElse(null);
    if (commit == null || etag == null) {
      throw new HubException(repo + "/" + path + ": the hub gave no commit or ETag; is HF_ENDPOINT a Hugging Face hub?");
    }
    long size = h.firstValue("X-Linked-Size").or(() -> h.firstValue("Content-Length")).map(Long::parseLong).orElse(-1L);
    return new RemoteFile(repo, commit, path, etag, size);
  }

  /** Downloads one file into the cache (if not there) and returns its snapshot path. */
  public Path download(RemoteFile file, DownloadProgress progress) throws IOException {
    Path blob = cache.blob(file.repo(), file.etag());
    try (BlobLock lock = BlobLock.acquire(cache.lockFile(file.repo(), file.etag()))) {
      new ResumableDownload(http, progress)
          .fetch(resolveUri(file.repo(), file.commit(), file.path()), file.repo() + "/" + file.path(),
              file.etag(), file.size(), cache.incompleteBlob(file.repo(), file.etag()), blob);
    }
    return cache.link(file.repo(), file.commit(), file.path(), file.etag());
  }

  /**
   * Brings the files of a revision that match the patterns into the cache, several at once, and
   * returns the snapshot. Offline (or when the hub cannot be reached) it is served from the cache.
   */
  public RepoSnapshot snapshot(RepoId repo, String revision, List<String> patterns, DownloadProgress progress) {
    if (settings.offline()) return fromCache(repo, revision, patterns);
    RepoListing listing;
    try {
      listing = list(repo, revision);
    } catch (java.net.ConnectException | java.net.http.HttpConnectTimeoutException e) {
      return fromCacheOr(repo, revision, patterns, "cannot reach " + settings.endpoint() + " (" + describe(e) + ")");
    } catch (IOException e) {
      throw new HubException(repo + "@" + revision + ": " + describe(e), e);
    }
    FilePatterns filter = new FilePatterns(
        FilePatterns.withTorchFallback(patterns, listing.files().stream().map(ListedFile::path).toList()));
    List<ListedFile> wanted = listing.files().stream().filter(f -> filter.matches(f.path())).toList();
    if (wanted.isEmpty()) throw new HubException(repo + "@" + revision + ": no files match " + patterns);
    long total = wanted.stream().mapToLong(ListedFile::size).allMatch(s -> s >= 0)
        ? wanted.stream().mapToLong(ListedFile::size).sum() : -1;
    progress.begin(wanted.size(), total);
    try (ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, wanted.size()))) {
      List<Future<Path>> jobs = new ArrayList<>();
      for (ListedFile f : wanted) {
        jobs.add(pool.submit(() -> download(metadata(repo, listing.commit(), f.path()), progress)));
      }
      for (Future<Path> job : jobs) job.get();
      cache.writeRef(repo, revision, listing.commit());
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof HubException he) throw he;
      throw new HubException(repo + "@" + revision + ": " + cause.getMessage(), cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HubException(repo + ": interrupted");
    } catch (IOException e) {
      throw new HubException(repo + ": cannot write the cache: " + e.getMessage(), e);
    } finally {
      progress.end();
    }
    return new RepoSnapshot(repo, listing.commit(), cache.snapshotDir(repo, listing.commit()),
        wanted.stream().map(ListedFile::path).toList());
  }

  private RepoSnapshot fromCacheOr(RepoId repo, String revision, List<String> patterns, String why) {
    if (cache.commitFor(repo, revision).isPresent()) return fromCache(repo, revision, patterns);
    throw new HubException(repo + "@" + revision + ": " + why + ", and it is not in the cache " + cache.root());
  }

  /** The cached snapshot of a revision, as huggingface_hub serves it with HF_HUB_OFFLINE=1. */
  public RepoSnapshot fromCache(RepoId repo, String revision, List<String> patterns) {
    String commit = cache.commitFor(repo, revision).orElseThrow(() -> new OfflineCacheMissException(
        repo + "@" + revision + " is not in the cache " + cache.root() + " and HF_HUB_OFFLINE is set"));
    Path dir = cache.snapshotDir(repo, commit);
    List<String> files;
    try (var walk = java.nio.file.Files.walk(dir)) {
      List<String> cached = walk.filter(java.nio.file.Files::isRegularFile)
          .map(p -> dir.relativize(p).toString().replace('\\', '/')).sorted().toList();
      FilePatterns filter = new FilePatterns(FilePatterns.withTorchFallback(patterns, cached));
      files = cached.stream().filter(filter::matches).toList();
    } catch (IOException e) {
      throw new OfflineCacheMissException(repo + "@" + revision + ": cannot read cached snapshot " + dir);
    }
    if (files.isEmpty()) throw new OfflineCacheMissException(repo + "@" + revision + ": the cached snapshot " + dir + " has no files matching " + patterns);
    return new RepoSnapshot(repo, commit, dir, files);
  }

  private void requireOnline(RepoId repo) {
    if (settings.offline()) throw new OfflineCacheMissException(repo + ": HF_HUB_OFFLINE is set; cannot ask the hub");
  }

  private URI resolveUri(RepoId repo, String revision, String path) {
    StringBuilder p = new StringBuilder();
    for (String seg : path.split("/")) p.append('/').append(encode(seg));
    return URI.create(settings.endpoint() + "/" + repo.id() + "/resolve/" + encode(revision) + p);
  }

  private static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static boolean isRedirect(int code) {
    return code >= 300 && code < 400 && code != 304;
  }

  private static String describe(Exception e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  static String normalizeEtag(String etag) {
    String e = etag.strip();
    if (e.startsWith("W/")) e = e.substring(2);
    if (e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"")) e = e.substring(1, e.length() - 1);
    return e;
  }
}
