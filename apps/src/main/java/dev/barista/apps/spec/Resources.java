package dev.barista.apps.spec;

/** What one replica asks for; quantities are validated, the local runtime records them. */
public record Resources(String cpu, String memory, GpuRequest gpu, String disk, String sharedMemory) {
  public static final Resources NONE = new Resources(null, null, null, null, null);

  public Resources {
    cpu = Quantities.cpu("resources.cpu", cpu);
    memory = Quantities.bytes("resources.memory", memory);
    disk = Quantities.bytes("resources.disk", disk);
    sharedMemory = Quantities.bytes("resources.shared_memory", sharedMemory);
  }

  public int gpuCount() {
    return gpu == null ? 0 : gpu.count();
  }
}
