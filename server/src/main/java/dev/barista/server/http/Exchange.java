package dev.barista.server.http;

import dev.barista.server.api.ApiException;
import dev.barista.server.api.ErrorBody;
import dev.barista.server.api.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;

/**
 * One HTTP request and its response, with blocking reads and writes: every handler runs on its own
 * virtual thread, so blocking is cheap and the code reads top to bottom.
 */
public final class Exchange {
  private final Request request;
  private final Response response;
  private final long maxBodyBytes;
  private boolean finished;

  Exchange(Request request, Response response, long maxBodyBytes) {
    this.request = request;
    this.response = response;
    this.maxBodyBytes = maxBodyBytes;
  }

  public String method() {
    return request.getMethod();
  }

  public String path() {
    return Request.getPathInContext(request);
  }

  public String header(String name) {
    return request.getHeaders().get(name);
  }

  /** Runs {@code action} if the connection fails (client gone) while the request is live. */
  public void onFailure(Runnable action) {
    request.addFailureListener(t -> action.run());
  }

  /**
   * The whole body; larger than the limit is a 413 (checked before reading when declared). The
   * rest of an oversized body is read and dropped, up to {@link #DRAIN_LIMIT_BYTES}, because a
   * client still sending when the server closes the connection gets a reset instead of the 413.
   */
  public byte[] body() throws IOException {
    long declared = request.getLength();
    try (InputStream in = Request.asInputStream(request)) {
      if (declared > maxBodyBytes) throw tooLarge(in, 0);
      ByteArrayOutputStream out = new ByteArrayOutputStream(declared > 0 ? (int) declared : 1024);
      byte[] buf = new byte[16 * 1024];
      int r;
      while ((r = in.read(buf)) > 0) {
        out.write(buf, 0, r);
        if (out.size() > maxBodyBytes) throw tooLarge(in, out.size());
      }
      return out.toByteArray();
    }
  }

  /** Bodies larger than this are not drained: the connection is closed after the 413. */
  static final long DRAIN_LIMIT_BYTES = 64L << 20;

  private ApiException tooLarge(InputStream in, long alreadyRead) throws IOException {
    long declared = request.getLength();
    if (declared < 0 || declared - alreadyRead <= DRAIN_LIMIT_BYTES) {
      long drained = alreadyRead;
      byte[] buf = new byte[64 * 1024];
      int r;
      while (drained <= DRAIN_LIMIT_BYTES && (r = in.read(buf)) > 0) drained += r;
    }
    return tooLarge();
  }

  private ApiException tooLarge() {
    return new ApiException(413, "RequestEntityTooLarge",
        "request body is larger than the limit of " + maxBodyBytes + " bytes", null);
  }

  public void sendJson(int status, Object body) throws IOException {
    send(status, "application/json", Json.bytes(body));
  }

  public void sendText(int status, String contentType, String body) throws IOException {
    send(status, contentType, body.getBytes(StandardCharsets.UTF_8));
  }

  public void sendError(ApiException e) throws IOException {
    sendJson(e.status(), ErrorBody.of(e));
  }

  public void setHeader(String name, String value) {
    response.getHeaders().put(name, value);
  }

  public boolean committed() {
    return response.isCommitted();
  }

  private void send(int status, String contentType, byte[] body) throws IOException {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    write(true, body);
  }

  /** Starts a text/event-stream response; events are written and flushed one by one. */
  public SseStream startEventStream() throws IOException {
    response.setStatus(200);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream; charset=utf-8");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
    return new SseStream(this);
  }

  /** Blocks until the bytes are handed to the network; fails once the client has gone. */
  void write(boolean last, byte[] bytes) throws IOException {
    try (Blocker.Callback cb = Blocker.callback()) {
      response.write(last, ByteBuffer.wrap(bytes), cb);
      cb.block();
    }
    if (last) finished = true;
  }

  /** Ends the response if the handler has not (empty last chunk). */
  void finish() throws IOException {
    if (!finished) write(true, new byte[0]);
  }
}
