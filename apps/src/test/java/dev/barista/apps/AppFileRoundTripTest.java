package dev.barista.apps;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.barista.apps.spec.AppDeclaration;
import dev.barista.apps.spec.AppSpec;
import dev.barista.apps.spec.Endpoints;
import dev.barista.apps.spec.Link;
import dev.barista.apps.spec.Parameter;
import dev.barista.apps.yaml.AppFileReader;
import dev.barista.apps.yaml.AppFileWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The database keeps apps as written by AppFileWriter: reading that back must give the same app. */
class AppFileRoundTripTest {
  @Test
  void everyGoldenFileSurvivesWriteThenRead() {
    for (String f : List.of("vllm-string-args.yaml", "sglang-list-args.yaml", "vllm-stream-path.yaml", "barista-path.yaml", "flytekit-vllm.yaml")) {
      AppDeclaration app = AppFileReader.read(CommandLineGoldenTest.resource(f)).get(0);
      AppDeclaration back = AppFileReader.parse(AppFileWriter.write(app), null, "round trip").get(0);
      assertEquals(app, back, f);
    }
  }

  @Test
  void plainAppWithEveryCommonField() {
    AppSpec app = AppSpec.builder("ui").description("a page").image("python:3.12").command("python", "-m", "http.server", "{port}")
        .port(8081).envVar("MODE", "x").subdomain("chat").domain("example.com").link(new Link("/docs", "Docs", true))
        .parameter(new Parameter("greeting", "hi", null)).requestTimeout(java.time.Duration.ofSeconds(30))
        .interruptible(true).clusterPool("cpu").requiresAuth(false).build();
    assertEquals(app, AppFileReader.parse(AppFileWriter.write(app), null, "round trip").get(0));
    assertEquals(List.of("python", "-m", "http.server", "4321"), app.launchPlan(4321, n -> null).argv());
    assertEquals("GREETING", app.parameters().get(0).envVar());
    Endpoints gw = new Endpoints("127.0.0.1", 8080, "localhost");
    assertEquals("http://127.0.0.1:8080/apps/ui", app.endpoint(gw));
    assertEquals("http://chat.example.com:8080", app.queryEndpoint(gw, true));
    AppSpec copy = app.cloneWith(b -> b.name("ui2").subdomain(null));
    assertEquals("http://ui2.example.com:8080", copy.queryEndpoint(gw, true));
    assertEquals(List.of("ui"), copy.addDependency(app).dependsOn());
    assertEquals(List.of("python", "-m", "http.server", "{port}"), app.containerCmd());
    assertEquals(8081, app.getPort());
  }
}
