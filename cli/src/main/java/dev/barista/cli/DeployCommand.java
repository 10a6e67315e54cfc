package dev.barista.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.barista.apps.control.ControlPlaneClient;
import dev.barista.apps.secrets.BaristaDirs;
import dev.barista.apps.spec.AppDeclaration;
import dev.barista.apps.yaml.AppFileReader;
import dev.barista.apps.yaml.AppFileWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `barista deploy APP.yaml...`: validates app files and creates or updates the apps in the local control plane. */
@Command(name = "deploy", mixinStandardHelpOptions = true,
    description = "Deploy apps declared in YAML files to the local runtime (starts its control plane if needed).")
public final class DeployCommand implements Callable<Integer> {
  @Parameters(paramLabel = "APP.yaml", arity = "1..*", description = "App files (one app per YAML document).")
  List<Path> files;

  @Option(names = "--host", description = "Gateway address if a control plane must be started (default: ${DEFAULT-VALUE}).", defaultValue = "127.0.0.1")
  String host;

  @Option(names = "--port", description = "Gateway port if a control plane must be started (default: ${DEFAULT-VALUE}).", defaultValue = "8080")
  int port;

  @Override
  public Integer call() {
    List<AppDeclaration> apps = new ArrayList<>();
    for (Path f : files) apps.addAll(AppFileReader.read(f));
    dev.barista.apps.yaml.AppSetChecks.check(apps, String.join(", ", files.stream().map(Path::toString).toList()));
    StringBuilder yaml = new StringBuilder();
    for (AppDeclaration a : apps) yaml.append("---\n").append(AppFileWriter.write(a));
    ControlPlaneClient client = ControlPlanes.findOrStart(BaristaDirs.fromEnvironment(), host, port);
    JsonNode deployed = client.deploy(yaml.toString());
    for (JsonNode d : deployed) {
      System.out.printf("deployed %s (revision %d)%n", d.path("name").asText(), d.path("revision").asInt());
      System.out.printf("  endpoint: %s%n", d.path("endpoint").asText());
      System.out.printf("  by host:  %s%n", d.path("public_endpoint").asText());
      if (d.has("api_key"))
        System.out.printf("  api key:  %s  (shown once; a new one: barista apps key %s --rotate)%n", d.path("api_key").asText(), d.path("name").asText());
    }
    return 0;
  }
}
