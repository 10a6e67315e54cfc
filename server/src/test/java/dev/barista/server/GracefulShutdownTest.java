package dev.barista.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM: stop accepting, let the in-flight stream finish, exit 0. A real child process. */
class GracefulShutdownTest {

  @Test
  void sigtermFinishesInFlightRequestsAndExitsZero(@TempDir Path dir) throws Exception {
    Path portFile = dir.resolve("port");
    String java = ProcessHandle.current().info().command().orElseThrow();
    List<String> cmd = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector",
        "-cp", System.getProperty("java.class.path"), ServeProcessMain.class.getName(),
        TestServer.tinyTokenIdModel().toString(), portFile.toString()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(dir.resolve("log").toFile()).start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (!Files.exists(portFile) || Files.readString(portFile).isEmpty()) {
        assertTrue(p.isAlive() && System.nanoTime() < deadline, "server did not start");
        Thread.sleep(100);
      }
      int port = Integer.parseInt(Files.readString(portFile).trim());
      try (Socket s = new Socket("127.0.0.1", port)) {
        byte[] body = ("{\"prompt\": [1, 2, 3], \"max_tokens\": 300, \"ignore_eos\": true, "
            + "\"stream\": true}").getBytes(StandardCharsets.UTF_8);
        OutputStream out = s.getOutputStream();
        out.write(("POST /v1/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(),
            StandardCharsets.UTF_8));
        String line;
        while (!(line = in.readLine()).startsWith("data: ")) { /* headers */ }
        p.destroy(); // SIGTERM while the stream is in flight
        Thread.sleep(500);
        assertThrows(IOException.class, () -> new Socket("127.0.0.1", port).close(),
            "no new connections once shutting down");
        String last = line;
        while ((line = in.readLine()) != null && !line.equals("data: [DONE]")) {
          if (line.startsWith("data: ")) last = line; // other lines: chunked framing
        }
        assertEquals("data: [DONE]", line, "the in-flight stream was finished");
        assertTrue(last.contains("\"finish_reason\":\"length\""), last);
      }
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "server did not exit");
      assertEquals(0, p.exitValue(), Files.readString(dir.resolve("log")));
    } finally {
      p.destroyForcibly();
    }
  }
}
