package dev.barista.apps.yaml;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.barista.apps.engine.EngineApp;
import dev.barista.apps.engine.FlytekitVllm;
import dev.barista.apps.spec.AppDeclaration;
import dev.barista.apps.spec.AppSpec;
import dev.barista.apps.spec.Durations;
import dev.barista.apps.spec.Link;
import dev.barista.apps.spec.Parameter;
import dev.barista.apps.spec.ScalingMetric;
import dev.barista.apps.spec.SecretRef;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Writes a declaration as the YAML {@link AppFileReader} reads back (hooks are code and are not
 * written). The state database keeps apps in this form.
 */
public final class AppFileWriter {
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));

  private AppFileWriter() {}

  public static String write(AppDeclaration app) {
    try {
      return YAML.writeValueAsString(tree(app));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ObjectNode tree(AppDeclaration app) {
    ObjectNode n = YAML.createObjectNode();
    AppSpec a = app.spec();
    switch (app) {
      case FlytekitVllm v -> {
        n.put("kind", "VLLM");
        n.put("name", a.name());
        ObjectNode s = n.putObject("hf_secret");
        s.put("secrets_prefix", v.hfSecret().secretsPrefix());
        if (v.hfSecret().hfTokenGroup() != null) s.put("hf_token_group", v.hfSecret().hfTokenGroup());
        s.put("hf_token_key", v.hfSecret().hfTokenKey());
        ObjectNode d = n.putObject("arg_dict");
        v.argDict().forEach((k, val) -> { if (val instanceof Boolean b) d.put(k, b); else d.put(k, val.toString()); });
        n.put("image", a.image());
        n.put("health_endpoint", a.startupProbe().path());
        n.put("port", a.port());
        n.put("cpu", a.resources().cpu());
        n.put("gpu", a.resources().gpuCount());
        n.put("mem", a.resources().memory());
        common(n, a, false);
      }
      case EngineApp e -> {
        n.put("kind", switch (e.kind()) { case VLLM -> "VllmApp"; case SGLANG -> "SglangApp"; case BARISTA -> "BaristaApp"; });
        n.put("name", a.name());
        if (e.engine().model().hfPath() != null) n.put("model_hf_path", e.engine().model().hfPath());
        else n.put("model_path", e.engine().model().localPath());
        n.put("model_id", e.engine().modelId());
        if (e.engine().streamModel()) n.put("stream_model", true);
        strings(n, "extra_args", e.engine().extraArgs());
        common(n, a, true);
      }
      default -> {
        n.put("kind", "App");
        n.put("name", a.name());
        common(n, a, true);
      }
    }
    return n;
  }

  private static void common(ObjectNode n, AppSpec a, boolean containerFields) {
    if (a.description() != null) n.put("description", a.description());
    if (containerFields) {
      if (a.image() != null) n.put("image", a.image());
      strings(n, "command", a.command());
      strings(n, "args", a.args());
      n.put("port", a.port());
      ObjectNode r = YAML.createObjectNode();
      if (a.resources().cpu() != null) r.put("cpu", a.resources().cpu());
      if (a.resources().memory() != null) r.put("memory", a.resources().memory());
      if (a.resources().gpu() != null) r.put("gpu", a.resources().gpu().toString());
      if (a.resources().disk() != null) r.put("disk", a.resources().disk());
      if (a.resources().sharedMemory() != null) r.put("shared_memory", a.resources().sharedMemory());
      if (!r.isEmpty()) n.set("resources", r);
    }
    if (!a.envVars().isEmpty()) a.envVars().forEach(n.putObject("env_vars")::put);
    if (!a.secrets().isEmpty()) {
      ArrayNode s = n.putArray("secrets");
      for (SecretRef ref : a.secrets()) {
        ObjectNode o = s.addObject().put("key", ref.key()).put("env_var", ref.envVar());
        if (ref.group() != null) o.put("group", ref.group());
      }
    }
    ObjectNode sc = n.putObject("scaling");
    sc.putArray("replicas").add(a.scaling().minReplicas()).add(a.scaling().maxReplicas());
    sc.put("scaledown_after", Durations.format(a.scaling().scaledownAfter()));
    ScalingMetric m = a.scaling().metric();
    sc.putObject("metric").put(m instanceof ScalingMetric.Concurrency ? "concurrency" : "request_rate", m.target());
    n.put("requires_auth", a.requiresAuth());
    if (a.domain() != null) n.put("domain", a.domain());
    if (a.subdomain() != null) n.put("subdomain", a.subdomain());
    if (a.customDomain() != null) n.put("custom_domain", a.customDomain());
    if (!a.links().isEmpty()) {
      ArrayNode l = n.putArray("links");
      for (Link link : a.links()) l.addObject().put("path", link.path()).put("title", link.title()).put("is_relative", link.relative());
    }
    strings(n, "include", a.include());
    if (!a.parameters().isEmpty()) {
      ArrayNode p = n.putArray("parameters");
      for (Parameter par : a.parameters()) p.addObject().put("name", par.name()).put("value", par.value()).put("env_var", par.envVar());
    }
    strings(n, "depends_on", a.dependsOn());
    n.put("request_timeout", Durations.format(a.requestTimeout()));
    if (a.interruptible()) n.put("interruptible", true);
    if (a.clusterPool() != null) n.put("cluster_pool", a.clusterPool());
    ObjectNode p = n.putObject("startup_probe");
    if (containerFields) p.put("path", a.startupProbe().path()); // the VLLM form writes it as health_endpoint
    p.put("period", Durations.format(a.startupProbe().period()));
    p.put("failure_threshold", a.startupProbe().failureThreshold());
  }

  private static void strings(ObjectNode n, String key, List<String> values) {
    if (values.isEmpty()) return;
    ArrayNode arr = n.putArray(key);
    values.forEach(arr::add);
  }
}
