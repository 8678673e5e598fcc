package dev.bitwright.session.internal.jfr;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.List;
import java.util.Map;
import jdk.jfr.Configuration;

/** The profile {@code bitwright.jfc}, shipped as a resource of the session's API package. */
@SuppressForbidden
public final class Profile {
  /** The resource's name, beside the session's API classes. */
  private static final String RESOURCE = "/dev/bitwright/session/bitwright.jfc";

  /** The names of the events, in the profile's order. */
  public static final List<String> EVENT_NAMES =
      List.of(
          "dev.bitwright.PeerConnected",
          "dev.bitwright.PeerDisconnected",
          "dev.bitwright.PieceVerified",
          "dev.bitwright.BlockRequestLatency",
          "dev.bitwright.DiskWrite",
          "dev.bitwright.DiskRead",
          "dev.bitwright.TrackerAnnounce",
          "dev.bitwright.DhtLookup",
          "dev.bitwright.ChokeRound");

  private Profile() {}

  /** Returns the profile's bytes, as shipped. */
  public static byte[] bytes() {
    try (InputStream in = open()) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  /** Returns the profile's settings, as {@code jdk.jfr.Recording#setSettings} takes them. */
  public static Map<String, String> settings() {
    try (Reader in = new InputStreamReader(open(), StandardCharsets.UTF_8)) {
      return Configuration.create(in).getSettings();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    } catch (ParseException e) {
      throw new IllegalStateException("the shipped " + RESOURCE + " does not parse", e);
    }
  }

  private static InputStream open() throws IOException {
    InputStream in = Profile.class.getResourceAsStream(RESOURCE);
    if (in == null) {
      throw new IOException(RESOURCE + " is missing from the session's jar");
    }
    return in;
  }
}
