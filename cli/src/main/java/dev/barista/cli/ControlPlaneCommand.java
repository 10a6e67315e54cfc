package dev.barista.cli;

import dev.barista.apps.control.ControlPlane;
import dev.barista.apps.runtime.LocalRuntime;
import dev.barista.apps.runtime.RuntimeSettings;
import dev.barista.apps.secrets.BaristaDirs;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `barista apps controlplane`: runs the local control plane and gateway in the foreground. */
@Command(name = "controlplane", mixinStandardHelpOptions = true,
    description = "Run the local apps control plane and its gateway in the foreground (barista deploy starts one for you).")
public final class ControlPlaneCommand implements Callable<Integer> {
  @Option(names = "--host", description = "Gateway address (default: ${DEFAULT-VALUE}).", defaultValue = "127.0.0.1")
  String host;

  @Option(names = "--port", description = "Gateway port for every app (default: ${DEFAULT-VALUE}).", defaultValue = "8080")
  int port;

  @Option(names = "--domain", description = "Domain for host routing: APP.DOMAIN (default: ${DEFAULT-VALUE}).", defaultValue = "localhost")
  String domain;

  @Option(names = "--queue-size", description = "Requests per app that may wait for a replica (default: ${DEFAULT-VALUE}).", defaultValue = "100")
  int queueSize;

  @Override
  public Integer call() throws Exception {
    if (queueSize < 1) throw new IllegalArgumentException("--queue-size must be at least 1");
    RuntimeSettings settings = new RuntimeSettings(queueSize, RuntimeSettings.DEFAULT.tick(), RuntimeSettings.DEFAULT.drainGrace(),
        RuntimeSettings.DEFAULT.maxRetries());
    BaristaDirs dirs = BaristaDirs.fromEnvironment();
    ControlPlane cp;
    try {
      cp = ControlPlane.start(new LocalRuntime.Options(dirs, host, port, domain, SelfCommand.words(), settings));
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(cp::close));
    System.out.println("control plane listening on http://" + host + ":" + cp.runtime().port() + " (state in " + dirs.state() + ")");
    System.out.flush();
    cp.awaitStop();
    return 0;
  }
}
