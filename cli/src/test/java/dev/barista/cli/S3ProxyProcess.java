package dev.barista.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * S3Proxy, a real S3-compatible server, as a child process over a local folder. Not in this JVM:
 * the CLI's class path has Jetty 12 and S3Proxy needs Jetty 11, so it runs from the class path the
 * hub module's build writes (hub/target/s3proxy.classpath, as bin/s3-local does).
 */
public final class S3ProxyProcess implements AutoCloseable {
  public static final String ACCESS_KEY = "barista-access";
  public static final String SECRET_KEY = "barista-secret-key";
  private static final Path CLASSPATH = Path.of("../hub/target/s3proxy.classpath");

  private final Process process;
  private final int port;

  public S3ProxyProcess(Path dir, String... buckets) throws Exception {
    if (!Files.isRegularFile(CLASSPATH))
      throw new IllegalStateException(CLASSPATH.toAbsolutePath() + " is missing: build with -am so the hub module writes it");
    Path data = Files.createDirectories(dir.resolve("data"));
    for (String b : buckets) Files.createDirectories(data.resolve(b));
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path conf = dir.resolve("s3proxy.properties");
    Files.writeString(conf, String.join("\n",
        "s3proxy.endpoint=http://127.0.0.1:" + port, "s3proxy.authorization=aws-v2-or-v4",
        "s3proxy.identity=" + ACCESS_KEY, "s3proxy.credential=" + SECRET_KEY, "jclouds.provider=filesystem",
        "jclouds.identity=local", "jclouds.credential=local", "jclouds.filesystem.basedir=" + data.toAbsolutePath(), ""));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    process = new ProcessBuilder(List.of(java, "-Xmx256m", "-cp", Files.readString(CLASSPATH).strip(),
        "-Dlogback.configurationFile=" + Path.of("../hub/src/test/resources/logback-test.xml").toAbsolutePath(),
        "org.gaul.s3proxy.Main", "--properties", conf.toString()))
        .redirectErrorStream(true).redirectOutput(dir.resolve("s3proxy.log").toFile()).start();
    awaitListening(dir.resolve("s3proxy.log"));
  }

  private void awaitListening(Path log) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < end) {
      if (!process.isAlive()) throw new IllegalStateException("S3Proxy exited: " + Files.readString(log));
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    close();
    throw new IllegalStateException("S3Proxy did not listen within 60 s: " + Files.readString(log));
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** The variables a client (barista, a replica) needs to reach this server. */
  public Map<String, String> env() {
    return Map.of("AWS_ENDPOINT_URL", endpoint().toString(), "AWS_ACCESS_KEY_ID", ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY", SECRET_KEY, "AWS_REGION", "us-east-1");
  }

  public dev.barista.hub.store.S3Settings settings() {
    return dev.barista.hub.store.S3Settings.fromEnvironment(env());
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
  }
}
