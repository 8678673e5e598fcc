package dev.bitwright.examples;

import dev.bitwright.session.FlightRecorderEvents;
import java.io.IOException;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.HashMap;
import java.util.Map;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/**
 * The CLI's {@code --jfr FILE}: a JDK Flight Recorder recording of the JDK's default events and all
 * of Bitwright's ({@code bitwright.jfc}), written to the file when the command ends.
 */
@SuppressForbidden // jdk.jfr is a supported JDK module, which forbidden-apis counts as internal
final class FlightRecording implements AutoCloseable {
  private final Recording recording;

  private FlightRecording(Recording recording) {
    this.recording = recording;
  }

  /**
   * Starts a recording to {@code file}, or returns null when {@code file} is null.
   *
   * @throws CommandException if the JVM cannot record
   */
  static FlightRecording startIf(Path file) throws CommandException {
    if (file == null) {
      return null;
    }
    try {
      Map<String, String> settings =
          new HashMap<>(Configuration.getConfiguration("default").getSettings());
      settings.putAll(FlightRecorderEvents.settings());
      Recording recording = new Recording(settings);
      recording.setName("bitwright");
      recording.setDestination(file.toAbsolutePath());
      recording.start();
      return new FlightRecording(recording);
    } catch (IOException | ParseException | IllegalStateException | SecurityException e) {
      throw new CommandException("cannot record with JFR to " + file + ": " + e.getMessage());
    }
  }

  /** Stops the recording, which writes it to its file. */
  @Override
  public void close() {
    recording.stop();
    recording.close();
  }
}
