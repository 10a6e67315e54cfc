package dev.barista.server.http;

import java.time.Duration;
import java.util.concurrent.Executors;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Jetty 12 (core, no servlets) with every request on a virtual thread: a blocked SSE stream costs a
 * few KB, so hundreds of concurrent streams fit on two cores. Stopping is graceful: the listener
 * closes first, in-flight requests get {@code gracePeriod} to finish.
 */
public final class HttpServer {
  private final Server server;
  private final ServerConnector connector;

  public HttpServer(String host, int port, Router router, long maxBodyBytes) {
    QueuedThreadPool pool = new QueuedThreadPool(16, 2);
    pool.setName("http");
    pool.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server = new Server(pool);
    HttpConfiguration config = new HttpConfiguration();
    config.setSendServerVersion(false);
    config.setSendDateHeader(false);
    connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(config));
    connector.setHost(host);
    connector.setPort(port);
    connector.setAcceptQueueSize(2048);
    // Queued requests may see no byte for a long time while the engine is busy.
    connector.setIdleTimeout(Duration.ofMinutes(10).toMillis());
    server.addConnector(connector);
    server.setHandler(new GracefulHandler(new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) {
        Exchange ex = new Exchange(request, response, maxBodyBytes);
        try {
          router.dispatch(ex);
          ex.finish();
          callback.succeeded();
        } catch (Throwable t) {
          callback.failed(t);
        }
        return true;
      }
    }));
    server.setStopAtShutdown(false);
  }

  public HttpServer start() throws Exception {
    server.start();
    return this;
  }

  /** The bound port (useful with port 0). */
  public int port() {
    return connector.getLocalPort();
  }

  /** Stops accepting, lets in-flight requests finish for up to {@code gracePeriod}, then stops. */
  public void stop(Duration gracePeriod) throws Exception {
    server.setStopTimeout(Math.max(1, gracePeriod.toMillis()));
    server.stop();
  }

  public void join() throws InterruptedException {
    server.join();
  }
}
