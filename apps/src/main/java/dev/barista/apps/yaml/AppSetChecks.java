package dev.barista.apps.yaml;

import dev.barista.apps.spec.AppDeclaration;
import dev.barista.apps.spec.AppSpec;
import dev.barista.apps.spec.AppValidationException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Checks across the apps deployed together: unique names and routes, no dependency cycles. */
public final class AppSetChecks {
  private AppSetChecks() {}

  public static void check(List<? extends AppDeclaration> apps, String where) {
    Map<String, AppSpec> byName = new HashMap<>();
    Map<String, String> routes = new HashMap<>();
    for (AppDeclaration d : apps) {
      AppSpec a = d.spec();
      if (byName.putIfAbsent(a.name(), a) != null)
        throw new AppValidationException("name", "two apps are named '" + a.name() + "'").in(where);
      String route = a.customDomain() != null ? a.customDomain()
          : (a.subdomain() != null ? a.subdomain() : a.name()) + "." + (a.domain() == null ? "" : a.domain());
      String prev = routes.putIfAbsent(route, a.name());
      if (prev != null)
        throw new AppValidationException("subdomain", "apps '" + prev + "' and '" + a.name() + "' route the same host")
            .in(where);
    }
    for (AppDeclaration d : apps) noCycle(d.spec().name(), byName, new HashSet<>(), where);
  }

  private static void noCycle(String name, Map<String, AppSpec> byName, Set<String> path, String where) {
    if (!path.add(name))
      throw new AppValidationException("depends_on", "dependency cycle through '" + name + "'").in(where);
    AppSpec a = byName.get(name);
    if (a != null) for (String dep : a.dependsOn()) noCycle(dep, byName, path, where);
    path.remove(name);
  }
}
