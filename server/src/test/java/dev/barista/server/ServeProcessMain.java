package dev.barista.server;

import dev.barista.engine.api.EngineArgs;
import java.nio.file.Path;

/** A server process for GracefulShutdownTest: model folder and port file as arguments. */
public final class ServeProcessMain {
  public static void main(String[] args) throws Exception {
    EngineBackend backend = EngineBackend.open(EngineArgs.builder(Path.of(args[0]))
        .maxModelLen(512).kvCacheMemory(16L << 20).device("cpu").build(), null);
    OpenAiServer server = new OpenAiServer(backend, ServerOptions.local("tiny"), args[0]).start();
    java.nio.file.Files.writeString(Path.of(args[1]), Integer.toString(server.port()));
    server.serveUntilSignalled(() -> System.err.println("shutting down"));
    System.exit(0);
  }
}
