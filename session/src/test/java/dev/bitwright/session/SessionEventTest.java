package dev.bitwright.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.metainfo.InfoHash;
import dev.bitwright.metainfo.InfoHashes;
import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Events carry the session clock's time, typed reasons, and read well as one log line. */
@Timeout(30)
class SessionEventTest {
  private static final Instant T = Instant.parse("2026-12-03T12:00:00Z");
  private static final InfoHashes HASHES =
      InfoHashes.ofV1(InfoHash.fromHex("0123456789abcdef0123456789abcdef01234567"));

  @TempDir Path dir;

  @Test
  void aDisconnectReadsAsOneLogLine() {
    var event =
        new SessionEvent.PeerDisconnected(
            T,
            HASHES,
            new InetSocketAddress("127.0.0.1", 6881),
            CloseReason.HANDSHAKE_TIMEOUT,
            Optional.empty());
    assertThat(event)
        .hasToString(
            "2026-12-03T12:00:00Z PeerDisconnected v1:0123456789abcdef0123456789abcdef01234567"
                + " 127.0.0.1:6881 handshake timed out");
  }

  @Test
  void detailsAndCausesShowWithoutOptionalWrappers() {
    var banned =
        new SessionEvent.PeerBanned(
            T,
            HASHES,
            new InetSocketAddress("::1", 51413),
            CloseReason.BAD_DATA,
            Optional.of("pieces that failed the hash check"));
    var error =
        new SessionEvent.TorrentError(
            T,
            HASHES,
            FailureReason.DISK_ERROR,
            "disk: no space left on device",
            Optional.of(new IOException("no space left on device")));
    assertThat(banned.toString())
        .endsWith(
            "[0:0:0:0:0:0:0:1]:51413 sent data that failed verification"
                + " (pieces that failed the hash check)")
        .doesNotContain("Optional");
    assertThat(error.toString())
        .endsWith(
            "TorrentError v1:0123456789abcdef0123456789abcdef01234567"
                + " disk: no space left on device")
        .doesNotContain("Optional");
  }

  @Test
  void eventsAreStampedByTheSessionsClock() throws Exception {
    Path payload = Swarm.payload(dir.resolve("seed"), 1, 100_000);
    Torrent torrent = TorrentBuilder.create(payload).pieceLength(16 * 1024).build();
    Swarm.Events events = new Swarm.Events();
    SessionConfig config = Swarm.config().clock(Clock.fixed(T, ZoneOffset.UTC)).build();
    try (TorrentSession session = TorrentSession.start(config)) {
      session.addListener(events);
      session
          .add(AddTorrent.torrent(torrent, dir.resolve("seed")).build())
          .completion()
          .get(10, TimeUnit.SECONDS);
      Swarm.await(
          Duration.ofSeconds(5),
          "the torrent's events",
          () ->
              events.of(SessionEvent.StateChanged.class).stream()
                  .anyMatch(e -> e.to() == TorrentState.SEEDING));
    }
    assertThat(events.all())
        .isNotEmpty()
        .anyMatch(e -> e instanceof SessionEvent.TorrentAdded)
        .allMatch(e -> e.time().equals(T));
  }
}
