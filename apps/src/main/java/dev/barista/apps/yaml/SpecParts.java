package dev.barista.apps.yaml;

import com.fasterxml.jackson.databind.JsonNode;
import dev.barista.apps.spec.AppValidationException;
import dev.barista.apps.spec.Durations;
import dev.barista.apps.spec.GpuRequest;
import dev.barista.apps.spec.Link;
import dev.barista.apps.spec.Parameter;
import dev.barista.apps.spec.Resources;
import dev.barista.apps.spec.Scaling;
import dev.barista.apps.spec.ScalingMetric;
import dev.barista.apps.spec.SecretRef;
import dev.barista.apps.spec.StartupProbe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Readers for the nested parts of an app document (resources, scaling, secrets, ...). */
final class SpecParts {
  private SpecParts() {}

  static Resources resources(Fields r) {
    String gpu = r.str("gpu");
    Resources res = new Resources(r.str("cpu"), r.str("memory"), gpu == null ? null : GpuRequest.parse(gpu),
        r.str("disk"), r.str("shared_memory"));
    r.finish();
    return res;
  }

  /** replicas: [min, max], {min, max} or one number (min = max); metric: {concurrency: N} or {request_rate: N}. */
  static Scaling scaling(Fields s) {
    int min = Scaling.DEFAULT.minReplicas(), max = Scaling.DEFAULT.maxReplicas();
    JsonNode replicas = s.raw("replicas");
    if (replicas != null) {
      if (replicas.isArray() && replicas.size() == 2 && replicas.get(0).isInt() && replicas.get(1).isInt()) {
        min = replicas.get(0).intValue();
        max = replicas.get(1).intValue();
      } else if (replicas.isInt()) {
        min = max = replicas.intValue();
      } else if (replicas.isObject()) {
        Fields mm = new Fields(replicas, s.path() + ".replicas");
        Integer a = mm.integer("min"), b = mm.integer("max");
        mm.finish();
        min = a == null ? min : a;
        max = b == null ? Math.max(max, min) : b;
      } else {
        throw s.error("replicas", "expected [min, max], {min: N, max: N} or a number");
      }
    }
    String after = s.str("scaledown_after");
    Duration scaledown = after == null ? null : Durations.parse("scaling.scaledown_after", after);
    ScalingMetric metric = null;
    Fields m = s.object("metric");
    if (m != null) {
      Integer conc = m.integer("concurrency"), rate = m.integer("request_rate");
      m.finish();
      if ((conc == null) == (rate == null))
        throw s.error("metric", "set exactly one of concurrency or request_rate");
      metric = conc != null ? new ScalingMetric.Concurrency(conc) : new ScalingMetric.RequestRate(rate);
    }
    s.finish();
    return new Scaling(min, max, scaledown, metric);
  }

  /** secrets: [KEY, ...] or [{key, group, env_var}, ...]. */
  static List<SecretRef> secrets(Fields f) {
    JsonNode v = f.raw("secrets");
    List<SecretRef> out = new ArrayList<>();
    if (v == null) return out;
    if (!v.isArray()) throw f.error("secrets", "expected a list");
    for (JsonNode e : v) {
      if (e.isTextual()) {
        out.add(SecretRef.of(e.asText()));
        continue;
      }
      Fields s = new Fields(e, "secrets[" + out.size() + "]");
      SecretRef ref = new SecretRef(s.str("key"), s.str("group"), s.str("env_var"));
      s.finish();
      out.add(ref);
    }
    return out;
  }

  static List<Link> links(Fields f) {
    List<Link> out = new ArrayList<>();
    for (Fields l : f.objects("links")) {
      Boolean rel = l.bool("is_relative");
      out.add(new Link(l.str("path"), l.str("title"), rel == null || rel));
      l.finish();
    }
    return out;
  }

  /** parameters (also spelled inputs): [{name, value, env_var}]. */
  static List<Parameter> parameters(Fields f) {
    List<Fields> items = new ArrayList<>(f.objects("parameters"));
    items.addAll(f.objects("inputs"));
    List<Parameter> out = new ArrayList<>();
    for (Fields p : items) {
      out.add(new Parameter(p.str("name"), p.str("value"), p.str("env_var")));
      p.finish();
    }
    return out;
  }

  static List<String> includes(Fields f, Path baseDir) {
    List<String> out = new ArrayList<>();
    for (String inc : f.strings("include")) {
      Path p = baseDir == null ? Path.of(inc) : baseDir.resolve(inc).normalize();
      if (!Files.exists(p)) throw new AppValidationException("include", "'" + inc + "' does not exist");
      out.add(p.toString());
    }
    return out;
  }

  /** Fields left out keep {@code base}'s values. */
  static StartupProbe probe(Fields p, StartupProbe base) {
    String period = p.str("period");
    Integer threshold = p.integer("failure_threshold");
    String path = p.str("path");
    StartupProbe probe = new StartupProbe(path == null ? base.path() : path,
        period == null ? base.period() : Durations.parse("startup_probe.period", period),
        threshold == null ? base.failureThreshold() : threshold);
    p.finish();
    return probe;
  }
}
