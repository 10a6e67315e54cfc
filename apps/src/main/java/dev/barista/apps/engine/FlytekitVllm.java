package dev.barista.apps.engine;

import dev.barista.apps.spec.AppDeclaration;
import dev.barista.apps.spec.AppSpec;
import dev.barista.apps.spec.AppValidationException;
import dev.barista.apps.spec.GpuRequest;
import dev.barista.apps.spec.LaunchPlan;
import dev.barista.apps.spec.Resources;
import dev.barista.apps.spec.SecretResolver;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * flytekit's inference form {@code VLLM(hf_secret, arg_dict, image, health_endpoint, port, cpu, gpu, mem)}:
 * arg_dict holds vLLM's own flags ({@code model} required), each becoming {@code --KEY VALUE}
 * ({@code true} becomes a bare flag, {@code false} is left out). Runs
 * {@code vllm serve MODEL --port PORT [--KEY VALUE ...]}.
 */
public record FlytekitVllm(AppSpec spec, HFSecret hfSecret, Map<String, Object> argDict) implements AppDeclaration {
  public static final String DEFAULT_IMAGE = "vllm/vllm-openai";
  public static final int DEFAULT_PORT = 8000;

  public FlytekitVllm {
    if (hfSecret == null) throw new AppValidationException("hf_secret", "the VLLM form needs an hf_secret");
    argDict = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(argDict == null ? Map.of() : argDict));
    if (!(argDict.get("model") instanceof String m) || m.isBlank())
      throw new AppValidationException("arg_dict.model", "no model: arg_dict needs 'model'");
    for (String owned : Set.of("port", "host"))
      if (argDict.containsKey(owned))
        throw new AppValidationException("arg_dict." + owned, "is set by the app's own fields; remove it from arg_dict");
    for (String key : argDict.keySet())
      if (!key.matches("[a-z0-9][a-z0-9_-]*")) throw new AppValidationException("arg_dict." + key, "is not a flag name");
    Object tp = argDict.getOrDefault("tensor-parallel-size", argDict.get("tensor_parallel_size"));
    if (tp != null && !tp.toString().equals(Integer.toString(spec.resources().gpuCount())))
      throw new AppValidationException(
          "arg_dict.tensor-parallel-size", tp + " differs from the GPU count " + spec.resources().gpuCount());
  }

  /** The Python constructor's parameters and defaults (image vllm/vllm-openai, /health, 8000, 2 CPUs, 1 GPU, 10Gi). */
  public static FlytekitVllm of(
      String name, HFSecret hfSecret, Map<String, Object> argDict, String image, String healthEndpoint,
      Integer port, String cpu, Integer gpu, String mem) {
    Resources resources = new Resources(cpu == null ? "2" : cpu, mem == null ? "10Gi" : mem,
        new GpuRequest(null, gpu == null ? 1 : gpu), null, null);
    AppSpec spec = AppSpec.builder(name)
        .image(image == null ? DEFAULT_IMAGE : image)
        .port(port == null ? DEFAULT_PORT : port)
        .resources(resources)
        .startupProbe(dev.barista.apps.spec.StartupProbe.DEFAULT.withPath(healthEndpoint == null ? "/health" : healthEndpoint))
        .build();
    return new FlytekitVllm(spec, hfSecret, argDict);
  }

  public FlytekitVllm withSpec(AppSpec changed) {
    return new FlytekitVllm(changed, hfSecret, argDict);
  }

  @Override
  public LaunchPlan launchPlan(int replicaPort, SecretResolver secrets) {
    List<String> argv = new ArrayList<>(Engine.VLLM.prefix());
    argv.add((String) argDict.get("model"));
    argv.addAll(List.of("--port", Integer.toString(replicaPort)));
    argDict.forEach((key, value) -> {
      if (key.equals("model") || Boolean.FALSE.equals(value)) return;
      argv.add("--" + key);
      if (!Boolean.TRUE.equals(value)) argv.add(String.valueOf(value));
    });
    Map<String, String> env = spec.environment(secrets, replicaPort);
    String token = secrets.resolve(hfSecret.storeName());
    env.put("HF_TOKEN", token);
    env.put("HUGGING_FACE_HUB_TOKEN", token);
    return new LaunchPlan(argv, env, spec.startupProbe());
  }

  @Override
  public List<String> servedModels() {
    Object name = argDict.get("served-model-name");
    return List.of(name != null ? name.toString() : (String) argDict.get("model"));
  }
}
