package dev.barista.hub.store;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * How to reach an S3-compatible server, from the AWS variables: AWS_ENDPOINT_URL_S3 or
 * AWS_ENDPOINT_URL (MinIO and the like; path-style addressing is then used), AWS_REGION, and
 * AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (else the SDK's default credential chain).
 */
public record S3Settings(
    Optional<URI> endpoint, String region, Optional<String> accessKey, Optional<String> secretKey) {

  public static S3Settings fromEnvironment() {
    return fromEnvironment(System.getenv());
  }

  public static S3Settings fromEnvironment(Map<String, String> env) {
    Optional<URI> endpoint = get(env, "AWS_ENDPOINT_URL_S3").or(() -> get(env, "AWS_ENDPOINT_URL")).map(URI::create);
    String region = get(env, "AWS_REGION").or(() -> get(env, "AWS_DEFAULT_REGION")).orElse("us-east-1");
    return new S3Settings(endpoint, region, get(env, "AWS_ACCESS_KEY_ID"), get(env, "AWS_SECRET_ACCESS_KEY"));
  }

  public S3Settings withEndpoint(URI endpoint) {
    return new S3Settings(Optional.of(endpoint), region, accessKey, secretKey);
  }

  @Override
  public String toString() {
    return "S3Settings[endpoint=" + endpoint.map(URI::toString).orElse("aws") + ", region=" + region + "]";
  }

  private static Optional<String> get(Map<String, String> env, String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
  }
}
