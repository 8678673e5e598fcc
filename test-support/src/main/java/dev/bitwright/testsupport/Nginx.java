package dev.bitwright.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.concurrent.TimeUnit;

/**
 * Debian's nginx ({@code nginx-light}) in a child process on 127.0.0.1, serving the files of a
 * folder as a static web server does: ranges (single and multiple) are nginx's own, {@code
 * sendfile} is on, names are percent-decoded by nginx. Everything it writes — its configuration,
 * pid file, logs, temp folders — lies in a folder of the test's; the system's {@code /etc/nginx}
 * and {@code /var/lib/nginx} are never read or written. It runs as one process in the foreground
 * ({@code daemon off; master_process off;}), so stopping that process stops it all and no worker is
 * left behind. Closing it stops the process.
 *
 * <p>As root, one process means nginx never switches to its unprivileged user (that needs a master
 * process): it keeps root's rights and reads the test's private temp folders; the {@code user}
 * directive names the current user only because nginx, as root, otherwise looks up {@code nobody}
 * and {@code nogroup} at start and fails where they do not exist.
 */
public final class Nginx implements AutoCloseable {
  /** Where Debian installs nginx. */
  public static final Path BINARY = Path.of("/usr/sbin/nginx");

  /**
   * The path under which the same files are served at {@link #THROTTLED_RATE} per request, as a CDN
   * that limits each connection: a test of a mixed swarm needs a web seed that peers can outpace.
   */
  public static final String THROTTLED = "/throttled/";

  /** The rate of each answer under {@link #THROTTLED}: 4 MB/s (nginx's {@code limit_rate}). */
  public static final String THROTTLED_RATE = "4m";

  private static final long READY_MILLIS = 5_000;

  private final Process process;
  private final int port;
  private final Path dir;

  private Nginx(Process process, int port, Path dir) {
    this.process = process;
    this.port = port;
    this.dir = dir;
  }

  /**
   * Starts nginx serving the files under {@code root} at {@code /}, its own files in {@code dir},
   * and waits until it answers HTTP. Fails if nginx is not installed, as the other interop helpers
   * do ({@code .ci/run} installs it).
   *
   * @param dir a folder for nginx's configuration, logs and temp files (created if missing)
   * @param root the folder to serve; its path may not hold {@code "}, {@code \} or {@code $}
   * @return the running server
   * @throws IOException if it does not start (the message holds its error log)
   * @throws InterruptedException if interrupted while waiting for it
   */
  public static Nginx start(Path dir, Path root) throws IOException, InterruptedException {
    assertThat(BINARY)
        .as("Debian's nginx is needed for the web seed tests (apt-get install nginx-light)")
        .isRegularFile()
        .isExecutable();
    String rootPath = root.toAbsolutePath().toString();
    if (rootPath.matches(".*[\"\\\\$].*")) {
      throw new IllegalArgumentException("root not quotable in nginx.conf: " + rootPath);
    }
    Path prefix = Files.createDirectories(dir).toAbsolutePath();
    Files.createDirectories(prefix.resolve("temp"));
    Path conf = prefix.resolve("nginx.conf");
    Path errorLog = prefix.resolve("error.log");
    String why = "";
    for (int attempt = 0; attempt < 3; attempt++) {
      int port = Opentracker.freePort();
      Files.writeString(conf, config(port, rootPath), StandardCharsets.UTF_8);
      Process process =
          new ProcessBuilder(
                  BINARY.toString(),
                  "-p",
                  prefix + "/",
                  "-c",
                  conf.toString(),
                  "-e",
                  errorLog.toString())
              .redirectErrorStream(true)
              .redirectOutput(
                  ProcessBuilder.Redirect.appendTo(prefix.resolve("nginx.out").toFile()))
              .start();
      if (answers(process, port)) {
        return new Nginx(process, port, prefix);
      }
      stop(process);
      why = read(errorLog) + read(prefix.resolve("nginx.out"));
    }
    throw new IOException("nginx did not start: " + why);
  }

  /** The configuration: every path relative to the prefix, the temp folders among them. */
  private static String config(int port, String root) throws IOException {
    StringBuilder c = new StringBuilder();
    c.append("daemon off;\n");
    c.append("master_process off;\n");
    c.append("worker_processes 1;\n");
    if (isRoot()) {
      PosixFileAttributes self =
          Files.readAttributes(Path.of("/proc/self"), PosixFileAttributes.class);
      c.append("user ")
          .append(self.owner().getName())
          .append(' ')
          .append(self.group().getName())
          .append(";\n");
    }
    c.append("pid nginx.pid;\n");
    c.append("lock_file nginx.lock;\n");
    c.append("error_log error.log notice;\n");
    c.append("events {\n  worker_connections 256;\n}\n");
    c.append("http {\n");
    c.append("  access_log access.log;\n");
    for (String temp : new String[] {"client_body", "proxy", "fastcgi", "uwsgi", "scgi"}) {
      c.append("  ").append(temp).append("_temp_path temp/").append(temp).append(";\n");
    }
    c.append("  default_type application/octet-stream;\n");
    c.append("  sendfile on;\n");
    c.append("  tcp_nopush on;\n");
    c.append("  server_tokens off;\n");
    c.append("  keepalive_requests 100000;\n");
    c.append("  server {\n");
    c.append("    listen 127.0.0.1:").append(port).append(";\n");
    c.append("    server_name localhost;\n");
    c.append("    root \"").append(root).append("\";\n");
    c.append("    location / {\n    }\n");
    c.append("    location ").append(THROTTLED).append(" {\n");
    c.append("      alias \"").append(root).append("/\";\n");
    // Without sendfile: nginx would send a whole answer of a megabyte in one call before limiting.
    c.append("      sendfile off;\n");
    c.append("      limit_rate ").append(THROTTLED_RATE).append(";\n");
    c.append("    }\n");
    c.append("  }\n");
    c.append("}\n");
    return c.toString();
  }

  /** Whether this JVM runs as root: {@code /proc/self} belongs to the effective user. */
  private static boolean isRoot() throws IOException {
    return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
  }

  /** Waits (at most {@value #READY_MILLIS} ms) until nginx answers a request with a status line. */
  private static boolean answers(Process process, int port) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READY_MILLIS);
    byte[] request =
        "HEAD / HTTP/1.0\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    while (System.nanoTime() - end < 0) {
      if (!process.isAlive()) {
        return false;
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        s.setSoTimeout(1_000);
        OutputStream out = s.getOutputStream();
        out.write(request);
        out.flush();
        InputStream in = s.getInputStream();
        byte[] start = in.readNBytes(5);
        if (new String(start, StandardCharsets.US_ASCII).equals("HTTP/")) {
          return true;
        }
      } catch (IOException notYet) {
        // not listening yet, or another program's port
      }
      Thread.sleep(50);
    }
    return false;
  }

  /** Returns the port it listens on (TCP on 127.0.0.1). */
  public int port() {
    return port;
  }

  /**
   * Returns the URL of {@code rawPath} on this server: {@code rawPath} starts with {@code /} and is
   * percent-encoded already.
   *
   * @param rawPath the path, encoded
   * @return {@code http://127.0.0.1:<port><rawPath>}
   */
  public String url(String rawPath) {
    return "http://127.0.0.1:" + port + rawPath;
  }

  /**
   * Returns its access log: one line per request, with the request line, status and bytes sent.
   *
   * @return the log
   * @throws IOException if it cannot be read
   */
  public String accessLog() throws IOException {
    return read(dir.resolve("access.log"));
  }

  /**
   * Returns its error log.
   *
   * @return the log
   * @throws IOException if it cannot be read
   */
  public String errorLog() throws IOException {
    return read(dir.resolve("error.log"));
  }

  private static String read(Path file) throws IOException {
    return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
  }

  /** Stops nginx: SIGTERM (a fast shutdown), at most 5 s, then SIGKILL. */
  @Override
  public void close() {
    stop(process);
  }

  private static void stop(Process process) {
    process.destroy();
    Processes.awaitOrKill(process, 5);
  }
}
