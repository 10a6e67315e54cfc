package dev.barista.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.barista.apps.control.ControlPlaneClient;
import dev.barista.apps.secrets.BaristaDirs;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `barista apps list|status|logs|stop|delete|key|shutdown|controlplane`: manage deployed apps. */
@Command(name = "apps", mixinStandardHelpOptions = true, description = "Manage apps deployed with barista deploy.",
    subcommands = {ControlPlaneCommand.class})
public final class AppsCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  private static ControlPlaneClient client() {
    return ControlPlanes.require(BaristaDirs.fromEnvironment());
  }

  @Command(name = "list", description = "List apps with their replicas and endpoints.")
  void list() {
    JsonNode apps = client().list();
    if (apps.isEmpty()) {
      System.out.println("no apps (deploy one with: barista deploy APP.yaml)");
      return;
    }
    System.out.printf("%-24s %-11s %4s %-8s %-9s %s%n", "NAME", "KIND", "REV", "STATE", "REPLICAS", "ENDPOINT");
    for (JsonNode a : apps)
      System.out.printf("%-24s %-11s %4d %-8s %-9s %s%n", a.path("name").asText(), a.path("kind").asText(), a.path("revision").asInt(),
          a.path("desired").asText(), ready(a) + "/" + a.path("desiredReplicas").asInt() + " [" + a.path("minReplicas").asInt() + ".."
              + a.path("maxReplicas").asInt() + "]", a.path("endpoint").asText());
  }

  @Command(name = "status", description = "Show one app: replicas, load and recent events.")
  void status(@Parameters(paramLabel = "NAME") String name) {
    JsonNode a = client().status(name);
    System.out.printf("app:       %s (%s, revision %d, %s)%n", a.path("name").asText(), a.path("kind").asText(), a.path("revision").asInt(),
        a.path("desired").asText());
    System.out.printf("endpoint:  %s%n           %s%n", a.path("endpoint").asText(), a.path("public_endpoint").asText());
    System.out.printf("replicas:  %d ready, %d wanted, min %d, max %d; %d in flight, %d queued%n", ready(a), a.path("desiredReplicas").asInt(),
        a.path("minReplicas").asInt(), a.path("maxReplicas").asInt(), a.path("inFlight").asInt(), a.path("queued").asInt());
    if (!a.path("lastError").isNull() && !a.path("lastError").asText().isEmpty()) System.out.println("error:     " + a.path("lastError").asText());
    for (JsonNode r : a.path("replicas"))
      System.out.printf("  %-32s %-9s port %-6d pid %-8d %d in flight%n", r.path("id").asText(), r.path("state").asText(), r.path("port").asInt(),
          r.path("pid").asLong(), r.path("outstanding").asInt());
    System.out.println("events:");
    for (JsonNode e : a.path("events"))
      System.out.printf("  %s %-8s %s%n", e.path("at").asText(), e.path("kind").asText(), e.path("message").asText());
  }

  @Command(name = "logs", description = "Print the end of the app's recent replica logs.")
  void logs(@Parameters(paramLabel = "NAME") String name,
      @Option(names = {"-n", "--lines"}, defaultValue = "100", description = "Lines per replica (default: ${DEFAULT-VALUE}).") int lines) {
    System.out.print(client().logs(name, lines));
  }

  @Command(name = "stop", description = "Scale the app to zero and refuse its requests until deployed again.")
  void stop(@Parameters(paramLabel = "NAME") String name) {
    client().stop(name);
    System.out.println("stopped " + name);
  }

  @Command(name = "delete", description = "Stop the app and forget it.")
  void delete(@Parameters(paramLabel = "NAME") String name) {
    client().delete(name);
    System.out.println("deleted " + name);
  }

  @Command(name = "key", description = "Make a new API key for the app (the old one stops working).")
  void key(@Parameters(paramLabel = "NAME") String name,
      @Option(names = "--rotate", required = true, description = "Replace the key; the new one is printed once.") boolean rotate) {
    System.out.println(client().rotateKey(name));
  }

  @Command(name = "shutdown", description = "Stop the control plane and every replica (apps stay deployed).")
  void shutdown() {
    client().shutdown();
    System.out.println("control plane stopping");
  }

  private static long ready(JsonNode app) {
    long n = 0;
    for (JsonNode r : app.path("replicas")) if (r.path("state").asText().equals("READY")) n++;
    return n;
  }
}
