package dev.bitwright.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentBuilder;
import dev.bitwright.testsupport.TestHttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import jdk.jfr.Configuration;
import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A download from a seed found through an HTTP tracker, both sessions running the DHT, recorded
 * with JFR and {@code bitwright.jfc}: every kind of event is in the recording, with fields that
 * match what happened.
 */
@Timeout(90)
class FlightRecorderTest {
  private static final int SIZE = 1_500_000;
  private static final int PIECE = 64 * 1024;

  @TempDir Path dir;

  @Test
  void aRecordedDownloadHasEveryEventWithItsFields() throws Exception {
    Path payload = Swarm.payload(dir.resolve("seed"), 91, SIZE);
    Path file = dir.resolve("download.jfr");
    Torrent torrent;
    try (Recording recording = new Recording();
        TestHttpServer tracker = TestHttpServer.start()) {
      recording.setSettings(FlightRecorderEvents.settings());
      recording.start();
      torrent =
          TorrentBuilder.create(payload)
              .pieceLength(PIECE)
              .addTrackerTier(tracker.url("/announce"))
              .build();
      try (TorrentSession seeder =
          TorrentSession.start(Swarm.config().dht(true).dhtBootstrapNodes(List.of()).build())) {
        byte[] reply = Swarm.trackerReply(seeder.listenAddress().getPort());
        tracker.route("/announce", exchange -> exchange.send(200, reply));
        seeder
            .add(AddTorrent.torrent(torrent, dir.resolve("seed")).build())
            .completion()
            .get(20, TimeUnit.SECONDS);
        try (TorrentSession leecher =
            TorrentSession.start(
                Swarm.config()
                    .dht(true)
                    .dhtBootstrapNodes(List.of(Swarm.address(seeder)))
                    .build())) {
          leecher
              .add(AddTorrent.torrent(torrent, dir.resolve("dl")).build())
              .completion()
              .get(30, TimeUnit.SECONDS);
          // The first choke round runs in the first second of each torrent's life.
          Swarm.await(
              Duration.ofSeconds(10),
              "a DHT lookup and a choke round",
              () -> has(recording, file, "dev.bitwright.DhtLookup", "dev.bitwright.ChokeRound"));
        }
        Swarm.assertSameFiles(torrent, dir.resolve("seed"), dir.resolve("dl"));
      }
      recording.stop();
      recording.dump(file);
    }
    Map<String, List<RecordedEvent>> events =
        RecordingFile.readAllEvents(file).stream()
            .filter(e -> e.getEventType().getName().startsWith("dev.bitwright."))
            .collect(Collectors.groupingBy(e -> e.getEventType().getName()));
    assertThat(events.keySet()).containsExactlyInAnyOrderElementsOf(FlightRecorderEvents.names());
    String hash = torrent.infoHashes().best().hex();

    List<RecordedEvent> connected = events.get("dev.bitwright.PeerConnected");
    assertThat(connected)
        .anySatisfy(
            e -> {
              assertThat(e.getString("infoHash")).isEqualTo(hash);
              assertThat(e.getBoolean("outgoing")).isTrue();
              assertThat(e.getString("transport")).isIn("TCP", "uTP");
              assertThat(e.getBoolean("encrypted")).isTrue();
              assertThat(e.getString("client")).startsWith("Bitwright");
              assertThat(e.getString("peer")).startsWith("127.0.0.1:");
            })
        .anySatisfy(e -> assertThat(e.getBoolean("outgoing")).isFalse());
    assertThat(events.get("dev.bitwright.PeerDisconnected"))
        .anySatisfy(
            e -> {
              assertThat(e.getString("infoHash")).isEqualTo(hash);
              assertThat(e.getString("reason")).isNotEmpty();
              assertThat(e.getDuration("connectedFor")).isPositive();
            })
        .anySatisfy(e -> assertThat(e.getLong("downloaded")).isEqualTo(SIZE));

    int pieces = (SIZE + PIECE - 1) / PIECE;
    List<RecordedEvent> verified = events.get("dev.bitwright.PieceVerified");
    assertThat(verified).allSatisfy(e -> assertThat(e.getBoolean("passed")).isTrue());
    assertThat(verified.stream().map(e -> e.getInt("piece")).collect(Collectors.toSet()))
        .hasSize(pieces);

    assertThat(events.get("dev.bitwright.BlockRequestLatency"))
        .allSatisfy(
            e -> {
              assertThat(e.getString("peer")).startsWith("127.0.0.1:");
              assertThat(e.getInt("piece")).isBetween(0, pieces - 1);
              assertThat(e.getDuration("latency")).isPositive();
            });
    assertThat(sum(events.get("dev.bitwright.DiskWrite"), "bytes"))
        .as("every byte written once")
        .isEqualTo(SIZE);
    assertThat(events.get("dev.bitwright.DiskWrite"))
        .allSatisfy(e -> assertThat(e.getDuration("queueTime").isNegative()).isFalse());
    assertThat(sum(events.get("dev.bitwright.DiskRead"), "bytes"))
        .as("every byte read to be uploaded")
        .isGreaterThanOrEqualTo(SIZE);

    assertThat(events.get("dev.bitwright.TrackerAnnounce"))
        .anySatisfy(
            e -> {
              assertThat(e.getString("infoHash")).isEqualTo(hash);
              assertThat(e.getString("tracker")).isEqualTo(tracker(torrent));
              assertThat(e.getString("announceEvent")).isEqualTo("started");
              assertThat(e.getInt("peers")).isEqualTo(1);
              assertThat(e.getDuration("interval")).isEqualTo(Duration.ofMinutes(30));
              assertThat(e.getString("error")).isEmpty();
            })
        .anySatisfy(e -> assertThat(e.getString("announceEvent")).isEqualTo("stopped"));
    assertThat(events.get("dev.bitwright.DhtLookup"))
        .anySatisfy(
            e -> {
              assertThat(e.getString("target")).isEqualTo(hash);
              assertThat(e.getInt("queries")).isGreaterThanOrEqualTo(e.getInt("responses"));
            });
    assertThat(events.get("dev.bitwright.ChokeRound"))
        .allSatisfy(
            e -> {
              assertThat(e.getString("infoHash")).isEqualTo(hash);
              assertThat(e.getInt("unchoked")).isBetween(0, e.getInt("peers"));
            });
  }

  @Test
  void theProfileNamesEveryEventAndTheDefaultsKeepTheCostlyOnesQuiet() throws Exception {
    Set<String> registered =
        FlightRecorder.getFlightRecorder().getEventTypes().stream()
            .map(EventType::getName)
            .filter(n -> n.startsWith("dev.bitwright."))
            .collect(Collectors.toSet());
    assertThat(FlightRecorderEvents.names()).containsAll(registered);
    Map<String, String> settings = FlightRecorderEvents.settings();
    for (String name : FlightRecorderEvents.names()) {
      assertThat(settings).containsEntry(name + "#enabled", "true");
    }
    assertThat(settings).containsEntry("dev.bitwright.DiskWrite#threshold", "0 ms");
    Path jfc = dir.resolve("bitwright.jfc");
    FlightRecorderEvents.writeSettings(jfc);
    assertThat(Configuration.create(jfc).getSettings()).isEqualTo(settings);
  }

  /** Returns whether the recording so far holds events of each of {@code names}. */
  private static boolean has(Recording recording, Path file, String... names) {
    try {
      Files.deleteIfExists(file);
      recording.dump(file);
      Set<String> seen =
          RecordingFile.readAllEvents(file).stream()
              .map(e -> e.getEventType().getName())
              .collect(Collectors.toSet());
      return seen.containsAll(List.of(names));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long sum(List<RecordedEvent> events, String field) {
    return events.stream().mapToLong(e -> e.getLong(field)).sum();
  }

  private static String tracker(Torrent torrent) {
    return torrent.trackers().get(0).get(0);
  }
}
