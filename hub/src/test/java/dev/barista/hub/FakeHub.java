package dev.barista.hub;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A hub over real HTTP, shaped like huggingface.co: /api/models/REPO/revision/REV, and
 * /REPO/resolve/REV/PATH answering small files itself and redirecting LFS files (302) to a second
 * server on another host name, the "CDN", which serves byte ranges. Faults can be injected.
 * Files added with {@link #file} belong to main (commit {@link #COMMIT}); {@link #revision} adds
 * another branch or tag with its own commit and files.
 */
public final class FakeHub implements AutoCloseable {
  public static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

  public record Request(String server, String method, String path, String authorization, String range) {}

  /** One commit's files. */
  public static final class Revision {
    private final String commit;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final Set<String> lfs = ConcurrentHashMap.newKeySet();
    private final Map<String, String> sha256 = new ConcurrentHashMap<>();
    private final List<String> order = Collections.synchronizedList(new ArrayList<>());

    private Revision(String commit) {
      this.commit = commit;
    }

    public Revision file(String path, byte[] content, boolean isLfs) {
      if (files.put(path, content) == null) order.add(path);
      if (isLfs) lfs.add(path);
      sha256.put(path, hex("SHA-256", content));
      return this;
    }
  }

  private final String repo;
  private final Revision main = new Revision(COMMIT);
  /** Branch or tag names, and commits, to their revision. */
  private final Map<String, Revision> refs = new ConcurrentHashMap<>(Map.of("main", main, COMMIT, main));
  public final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
  /** Cut the next CDN transfer of this file after this many bytes (once). */
  final Map<String, Long> cutAfter = new ConcurrentHashMap<>();
  /** Serve these files with one byte flipped (the hub's checksum stays that of the true file). */
  final Set<String> corrupt = ConcurrentHashMap.newKeySet();
  final AtomicLong cdnBytesSent = new AtomicLong();
  /** When set, the hub answers 401 to requests without this Bearer token (a gated repo). */
  volatile String requireToken;
  private final HttpServer hub;
  private final HttpServer cdn;

  public FakeHub(String repo) throws IOException {
    this.repo = repo;
    InetAddress lo = InetAddress.getByName("127.0.0.1");
    hub = HttpServer.create(new InetSocketAddress(lo, 0), 0);
    cdn = HttpServer.create(new InetSocketAddress(lo, 0), 0);
    hub.createContext("/", ex -> handle(ex, this::hub));
    cdn.createContext("/", ex -> handle(ex, this::cdn));
    hub.setExecutor(Executors.newCachedThreadPool());
    cdn.setExecutor(Executors.newCachedThreadPool());
    hub.start();
    cdn.start();
  }

  /** The hub is reached as 127.0.0.1, the CDN as localhost: different hosts. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + hub.getAddress().getPort());
  }

  private String cdnBase() {
    return "http://localhost:" + cdn.getAddress().getPort();
  }

  public FakeHub file(String path, byte[] content, boolean isLfs) {
    main.file(path, content, isLfs);
    return this;
  }

  /** A branch or tag {@code ref} at {@code commit} (also reachable by the commit), with no files yet. */
  public Revision revision(String ref, String commit) {
    Revision r = new Revision(commit);
    refs.put(ref, r);
    refs.put(commit, r);
    return r;
  }

  public FakeHub text(String path, String content) {
    return file(path, content.getBytes(StandardCharsets.UTF_8), false);
  }

  public List<Request> requestsTo(String server) {
    synchronized (requests) {
      return requests.stream().filter(r -> r.server().equals(server)).toList();
    }
  }

  interface Handler {
    void handle(HttpExchange ex) throws IOException;
  }

  private void handle(HttpExchange ex, Handler h) throws IOException {
    try (ex) {
      requests.add(new Request(ex.getHttpContext().getServer() == hub ? "hub" : "cdn",
          ex.getRequestMethod(), ex.getRequestURI().getRawPath(),
          ex.getRequestHeaders().getFirst("Authorization"), ex.getRequestHeaders().getFirst("Range")));
      h.handle(ex);
    }
  }

  private void hub(HttpExchange ex) throws IOException {
    if (requireToken != null && !("Bearer " + requireToken).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
      send(ex, 401, "{\"error\":\"Access to model is restricted\"}".getBytes(StandardCharsets.UTF_8));
      return;
    }
    String path = ex.getRequestURI().getPath();
    String api = "/api/models/" + repo + "/revision/";
    String resolve = "/" + repo + "/resolve/";
    if (path.startsWith(api)) {
      Revision r = refs.get(java.net.URLDecoder.decode(path.substring(api.length()), StandardCharsets.UTF_8));
      if (r == null) {
        send(ex, 404, "{\"error\":\"Revision Not Found\"}".getBytes(StandardCharsets.UTF_8));
        return;
      }
      StringBuilder json = new StringBuilder("{\"id\":\"" + repo + "\",\"sha\":\"" + r.commit + "\",\"siblings\":[");
      String sep = "";
      for (String name : List.copyOf(r.order)) {
        byte[] content = r.files.get(name);
        json.append(sep).append("{\"rfilename\":\"").append(name).append("\",\"size\":").append(content.length);
        if (r.lfs.contains(name)) {
          json.append(",\"lfs\":{\"sha256\":\"").append(r.sha256.get(name)).append("\",\"size\":")
              .append(content.length).append(",\"pointerSize\":134}");
        }
        json.append('}');
        sep = ",";
      }
      json.append("]}");
      ex.getResponseHeaders().set("Content-Type", "application/json");
      send(ex, 200, json.toString().getBytes(StandardCharsets.UTF_8));
    } else if (path.startsWith(resolve)) {
      String rest = path.substring(resolve.length());
      int slash = rest.indexOf('/');
      Revision r = refs.get(java.net.URLDecoder.decode(rest.substring(0, slash), StandardCharsets.UTF_8));
      String file = rest.substring(slash + 1);
      byte[] content = r == null ? null : r.files.get(file);
      if (content == null) {
        ex.getResponseHeaders().set("X-Error-Code", "EntryNotFound");
        send(ex, 404, new byte[0]);
        return;
      }
      var h = ex.getResponseHeaders();
      h.set("X-Repo-Commit", r.commit);
      if (r.lfs.contains(file)) {
        h.set("X-Linked-Etag", "\"" + r.sha256.get(file) + "\"");
        h.set("X-Linked-Size", Long.toString(content.length));
        h.set("ETag", "\"" + gitBlobId(content) + "\"");
        h.set("Location", cdnBase() + "/blobs/" + r.sha256.get(file) + "?commit=" + r.commit + "&file=" + file);
        ex.sendResponseHeaders(302, -1);
      } else {
        h.set("ETag", "\"" + gitBlobId(content) + "\"");
        send(ex, 200, content);
      }
    } else {
      send(ex, 404, new byte[0]);
    }
  }

  private void cdn(HttpExchange ex) throws IOException {
    String query = ex.getRequestURI().getQuery();
    String commit = query.substring("commit=".length(), query.indexOf('&'));
    String file = query.substring(query.indexOf("&file=") + "&file=".length());
    byte[] content = refs.get(commit).files.get(file).clone();
    if (corrupt.contains(file)) content[content.length / 2] ^= 0x5a;
    long start = 0;
    String range = ex.getRequestHeaders().getFirst("Range");
    if (range != null) {
      Matcher m = Pattern.compile("bytes=(\\d+)-").matcher(range);
      if (!m.matches()) throw new IOException("bad range " + range);
      start = Long.parseLong(m.group(1));
      ex.getResponseHeaders().set("Content-Range", "bytes " + start + "-" + (content.length - 1) + "/" + content.length);
    }
    int len = content.length - (int) start;
    ex.sendResponseHeaders(range != null ? 206 : 200, len);
    Long cut = cutAfter.remove(file);
    int toSend = cut != null ? (int) Math.min(cut, len) : len;
    OutputStream out = ex.getResponseBody();
    out.write(content, (int) start, toSend);
    out.flush();
    cdnBytesSent.addAndGet(toSend);
    // when cut, closing the exchange with fewer bytes than announced breaks the connection
  }

  private static void send(HttpExchange ex, int code, byte[] body) throws IOException {
    boolean head = ex.getRequestMethod().equals("HEAD");
    ex.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
    ex.sendResponseHeaders(code, head ? -1 : (body.length == 0 ? -1 : body.length));
    if (!head && body.length > 0) ex.getResponseBody().write(body);
  }

  static String gitBlobId(byte[] content) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-1");
      d.update(("blob " + content.length + "\0").getBytes(StandardCharsets.US_ASCII));
      return HexFormat.of().formatHex(d.digest(content));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String hex(String algorithm, byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(content));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    hub.stop(0);
    cdn.stop(0);
  }
}
