package dev.barista.engine.testing;

import dev.barista.hub.store.S3Settings;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

/** A real S3-compatible server (S3Proxy over a jclouds file-system store) on a loopback port. */
public final class S3ProxyServer implements AutoCloseable {
  public static final String ACCESS_KEY = "barista-access";
  public static final String SECRET_KEY = "barista-secret-key";

  private final S3Proxy proxy;
  private final BlobStoreContext context;

  public S3ProxyServer(Path dir, String... buckets) throws Exception {
    Properties props = new Properties();
    props.setProperty("jclouds.filesystem.basedir", dir.toString());
    context = ContextBuilder.newBuilder("filesystem").credentials("local", "local").overrides(props)
        .build(BlobStoreContext.class);
    for (String b : buckets) context.getBlobStore().createContainerInLocation(null, b);
    proxy = S3Proxy.builder().blobStore(context.getBlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY).build();
    proxy.start();
    for (int i = 0; i < 200 && !"STARTED".equals(proxy.getState()); i++) Thread.sleep(25);
    if (!"STARTED".equals(proxy.getState())) throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + proxy.getPort());
  }

  public S3Settings settings() {
    return S3Settings.fromEnvironment(Map.of("AWS_ENDPOINT_URL", endpoint().toString(),
        "AWS_ACCESS_KEY_ID", ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", SECRET_KEY, "AWS_REGION", "us-east-1"));
  }

  @Override
  public void close() throws Exception {
    proxy.stop();
    context.close();
  }
}
