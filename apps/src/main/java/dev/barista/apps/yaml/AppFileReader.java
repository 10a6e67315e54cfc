package dev.barista.apps.yaml;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.barista.apps.engine.BaristaApp;
import dev.barista.apps.engine.EngineSettings;
import dev.barista.apps.engine.FlytekitVllm;
import dev.barista.apps.engine.HFSecret;
import dev.barista.apps.engine.ModelSource;
import dev.barista.apps.engine.SglangApp;
import dev.barista.apps.engine.VllmApp;
import dev.barista.apps.spec.AppDeclaration;
import dev.barista.apps.spec.AppSpec;
import dev.barista.apps.spec.AppValidationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads app files: one app per YAML document ({@code ---} separates several), its type in
 * {@code kind}: App (default), VllmApp, SglangApp, BaristaApp, or VLLM (flytekit's form). Relative
 * paths resolve against the file's folder. Every error names the file, the app and the field.
 */
public final class AppFileReader {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private AppFileReader() {}

  public static List<AppDeclaration> read(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new AppValidationException("", "no such file").in(file.toString());
    } catch (IOException e) {
      throw new AppValidationException("", "cannot read: " + e.getMessage()).in(file.toString());
    }
    Path dir = file.toAbsolutePath().getParent();
    return parse(text, dir, file.toString());
  }

  /** Parses YAML text; {@code baseDir} resolves relative paths, {@code where} prefixes errors. */
  public static List<AppDeclaration> parse(String text, Path baseDir, String where) {
    List<AppDeclaration> apps = new ArrayList<>();
    int index = 0;
    try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(text)) {
      while (docs.hasNext()) {
        JsonNode doc = docs.next();
        index++;
        if (doc == null || doc.isNull() || doc.isMissingNode()) continue;
        String label = doc.hasNonNull("name") ? "app '" + doc.get("name").asText() + "'" : "document " + index;
        try {
          apps.add(app(new Fields(doc, ""), baseDir));
        } catch (AppValidationException e) {
          throw e.in(where + ": " + label);
        }
      }
    } catch (JsonProcessingException e) {
      throw new AppValidationException("", "not valid YAML: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")")).in(where);
    } catch (IOException e) {
      throw new AppValidationException("", e.getMessage()).in(where);
    } catch (RuntimeException e) {
      if (e.getCause() instanceof JsonProcessingException j)
        throw new AppValidationException("", "not valid YAML: " + j.getOriginalMessage()).in(where);
      throw e;
    }
    if (apps.isEmpty()) throw new AppValidationException("", "no apps in the file").in(where);
    AppSetChecks.check(apps, where);
    return apps;
  }

  private static AppDeclaration app(Fields f, Path baseDir) {
    String kind = f.str("kind");
    switch (kind == null ? "App" : kind) {
      case "App" -> {
        AppSpec.Builder b = common(f, AppSpec.builder(null), baseDir, false);
        f.finish();
        return b.build();
      }
      case "VllmApp" -> {
        AppSpec.Builder b = common(f, AppSpec.builder(null), baseDir, false);
        EngineSettings e = engine(f, baseDir);
        f.finish();
        return new VllmApp(b.build(), e);
      }
      case "SglangApp" -> {
        AppSpec.Builder b = common(f, AppSpec.builder(null), baseDir, false);
        EngineSettings e = engine(f, baseDir);
        f.finish();
        return new SglangApp(b.build(), e);
      }
      case "BaristaApp" -> {
        AppSpec.Builder b = common(f, AppSpec.builder(null), baseDir, false);
        EngineSettings e = engine(f, baseDir);
        f.finish();
        return new BaristaApp(b.build(), e);
      }
      case "VLLM" -> {
        return flytekitVllm(f, baseDir);
      }
      default -> throw new AppValidationException(
          "kind", "'" + kind + "' is not an app kind (App, VllmApp, SglangApp, BaristaApp, VLLM)");
    }
  }

  private static EngineSettings engine(Fields f, Path baseDir) {
    String hf = f.str("model_hf_path");
    String path = f.str("model_path");
    ModelSource model = hf == null && path == null ? null : new ModelSource(hf, path == null ? null : resolve(path, baseDir));
    Boolean stream = f.bool("stream_model");
    JsonNode extra = f.raw("extra_args");
    List<String> extraArgs = extra == null ? List.of()
        : extra.isTextual() ? EngineSettings.splitExtraArgs(extra.asText()) : f.strings("extra_args");
    String id = f.str("model_id");
    return new EngineSettings(model, id, stream != null && stream, extraArgs);
  }

  private static FlytekitVllm flytekitVllm(Fields f, Path baseDir) {
    Fields secret = f.object("hf_secret");
    if (secret == null) throw new AppValidationException("hf_secret", "the VLLM form needs an hf_secret");
    HFSecret hf = new HFSecret(secret.str("secrets_prefix"), secret.str("hf_token_group"), secret.str("hf_token_key"));
    secret.finish();
    Map<String, Object> argDict = new LinkedHashMap<>();
    JsonNode args = f.raw("arg_dict");
    if (args != null) {
      if (!args.isObject()) throw new AppValidationException("arg_dict", "expected a mapping of vLLM flags");
      args.fields().forEachRemaining(e -> {
        JsonNode v = e.getValue();
        if (!v.isValueNode() || v.isNull()) throw new AppValidationException("arg_dict." + e.getKey(), "expected a value");
        argDict.put(e.getKey(), v.isBoolean() ? (Object) v.booleanValue() : v.asText());
      });
    }
    String name = f.str("name");
    FlytekitVllm form = FlytekitVllm.of(name, hf, argDict, f.str("image"), f.str("health_endpoint"),
        f.integer("port"), f.str("cpu"), f.integer("gpu"), f.str("mem"));
    AppSpec.Builder b = common(f, form.spec().toBuilder(), baseDir, true);
    f.finish();
    return form.withSpec(b.build());
  }

  static String resolve(String path, Path baseDir) {
    if (path.matches("[A-Za-z][A-Za-z0-9+.-]*://.*") || baseDir == null) return path;
    return baseDir.resolve(path).normalize().toString();
  }

  static AppSpec.Builder common(Fields f, AppSpec.Builder b, Path baseDir, boolean flytekitForm) {
    String name = f.str("name");
    if (name != null || !flytekitForm) b.name(name);
    b.description(f.str("description"));
    if (!flytekitForm) {
      b.image(f.str("image"));
      if (f.has("command")) b.command(f.strings("command"));
      if (f.has("args")) b.args(f.strings("args"));
      Integer port = f.integer("port");
      if (port != null) b.port(port);
      Fields r = f.object("resources");
      if (r != null) b.resources(SpecParts.resources(r));
    }
    Map<String, String> env = f.stringMap("env_vars");
    if (env != null) b.envVars(env);
    b.secrets(SpecParts.secrets(f));
    Fields s = f.object("scaling");
    if (s != null) b.scaling(SpecParts.scaling(s));
    Boolean auth = f.bool("requires_auth");
    if (auth != null) b.requiresAuth(auth);
    b.domain(f.str("domain")).subdomain(f.str("subdomain")).customDomain(f.str("custom_domain"));
    b.links(SpecParts.links(f));
    if (f.has("include")) b.include(SpecParts.includes(f, baseDir));
    b.parameters(SpecParts.parameters(f));
    if (f.has("depends_on")) b.dependsOn(f.strings("depends_on"));
    String timeout = f.str("request_timeout");
    if (timeout != null) b.requestTimeout(dev.barista.apps.spec.Durations.parse("request_timeout", timeout));
    Boolean interruptible = f.bool("interruptible");
    if (interruptible != null) b.interruptible(interruptible);
    b.clusterPool(f.str("cluster_pool"));
    Fields probe = f.object("startup_probe");
    if (probe != null) b.startupProbe(SpecParts.probe(probe, b.currentStartupProbe()));
    return b;
  }
}
