package dev.bitwright.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A helper script of a test (a Python program driving libtorrent, say) in a child process that
 * prints a first line when it is ready, more lines as things happen, and reads commands on stdin.
 * Closing stdin asks it to exit; {@link #close()} waits 5 s for that, then kills it.
 */
public final class ScriptProcess implements AutoCloseable {
  private final Process process;
  private final OutputStream commands;
  private final String firstLine;

  private ScriptProcess(Process process, String firstLine) {
    this.process = process;
    this.commands = process.getOutputStream();
    this.firstLine = firstLine;
  }

  /**
   * Copies {@code resource} (from {@code owner}'s class path) to {@code folder}, unless there, and
   * runs it with {@code interpreter}; its standard error goes to {@code log}. Returns once it has
   * printed its first line; every later line goes to {@code lines} on a thread of its own.
   *
   * @throws IOException if it cannot be started or exits before printing a line (the message then
   *     holds the log)
   */
  public static ScriptProcess start(
      Class<?> owner,
      String resource,
      Path folder,
      String interpreter,
      List<String> arguments,
      Path log,
      Consumer<String> lines)
      throws IOException {
    return start(owner, resource, folder, List.of(interpreter), arguments, log, lines);
  }

  /**
   * As {@link #start(Class, String, Path, String, List, Path, Consumer)}, with {@code interpreter}
   * a command line that the script's path and {@code arguments} follow: {@code ip netns exec NAME
   * /usr/bin/python3} runs it in a network namespace.
   *
   * @throws IOException if it cannot be started or exits before printing a line (the message then
   *     holds the log)
   */
  public static ScriptProcess start(
      Class<?> owner,
      String resource,
      Path folder,
      List<String> interpreter,
      List<String> arguments,
      Path log,
      Consumer<String> lines)
      throws IOException {
    Path script = folder.resolve(Path.of(resource).getFileName().toString());
    if (!Files.exists(script)) {
      try (InputStream in = owner.getResourceAsStream(resource)) {
        if (in == null) {
          throw new IOException("no resource " + resource);
        }
        Files.copy(in, script);
      }
    }
    List<String> command = new ArrayList<>(interpreter);
    command.add(script.toString());
    command.addAll(arguments);
    Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String first = out.readLine();
    if (first == null) {
      process.destroyForcibly();
      throw new IOException(command + " ended before it was ready: " + Files.readString(log));
    }
    Thread reader =
        new Thread(
            () -> {
              try {
                String line;
                while ((line = out.readLine()) != null) {
                  lines.accept(line);
                }
              } catch (IOException ignored) {
                // the process ended
              }
            },
            script.getFileName() + "-output");
    reader.setDaemon(true);
    reader.start();
    return new ScriptProcess(process, first);
  }

  /** Returns the line the script printed first. */
  public String firstLine() {
    return firstLine;
  }

  /** Sends one command line to the script. */
  public void send(String command) throws IOException {
    commands.write((command + "\n").getBytes(StandardCharsets.UTF_8));
    commands.flush();
  }

  @Override
  public void close() {
    try {
      commands.close();
    } catch (IOException ignored) {
      // gone already
    }
    Processes.awaitOrKill(process, 5);
  }
}
