package dev.barista.engine.core;

/** Order of admission and preemption, as vLLM's --scheduling-policy. */
public enum SchedulingPolicy {
  /** First come, first served; the last admitted is preempted first. */
  FCFS,
  /** Lowest priority value first (ties by arrival); the highest value, latest arrival is preempted. */
  PRIORITY;

  public static SchedulingPolicy parse(String name) {
    return switch (name.toLowerCase(java.util.Locale.ROOT)) {
      case "fcfs" -> FCFS;
      case "priority" -> PRIORITY;
      default -> throw new dev.barista.engine.api.InvalidParameterException("scheduling_policy",
          "scheduling_policy must be fcfs or priority, got " + name);
    };
  }
}
