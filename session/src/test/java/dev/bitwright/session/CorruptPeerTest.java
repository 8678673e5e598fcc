package dev.bitwright.session;

import static dev.bitwright.session.Swarm.MIB;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentBuilder;
import dev.bitwright.storage.FileSystemStorage;
import dev.bitwright.storage.PieceStore;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A "liar" seed claims every piece (its resume data says so, and its files match the record, so it
 * is trusted without a check) but serves altered bytes in most pieces. The leecher, which also
 * knows an honest seed, must fail those pieces, ban the liar and still finish with the right bytes,
 * whether the liar has an address of its own (127.0.0.2: the whole of 127/8 is loopback on Linux)
 * or shares the honest seed's (a NAT, a VPN exit).
 */
@Timeout(60)
class CorruptPeerTest {
  private static final int PIECE = 64 * 1024;

  @TempDir Path dir;
  private int liarPeerPort;

  private static List<SessionEvent> notable(Swarm.Events events) {
    return events.all().stream().filter(e -> !(e instanceof SessionEvent.PieceVerified)).toList();
  }

  /** Whether the liar's copy of {@code piece} is altered: one in {@code every}, or all but that. */
  private static boolean altered(int piece, int every) {
    return every > 0 ? piece % every == 0 : piece % -every != 0;
  }

  /** Copies the payload and alters one byte in every block of the altered pieces. */
  private static Path liarCopy(Torrent torrent, Path seedDir, Path liarDir, int every)
      throws IOException {
    Path file = liarDir.resolve("payload/f0.bin");
    Files.createDirectories(file.getParent());
    Files.copy(seedDir.resolve("payload/f0.bin"), file);
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      for (int piece = 0; piece < torrent.pieceCount(); piece++) {
        if (!altered(piece, every)) {
          continue;
        }
        for (int block = 0; block < PIECE / (16 * 1024); block++) {
          long at = (long) piece * PIECE + block * 16 * 1024 + 99;
          raf.seek(at);
          int b = raf.read();
          raf.seek(at);
          raf.write(b ^ 0x5a);
        }
      }
    }
    return file;
  }

  /**
   * Pieces to which both seeds contributed fail too; once the liar is banned, such failures must
   * not be counted against the honest seed (they used to be, and after three of them the honest
   * seed was banned as well and the download stalled).
   */
  @ParameterizedTest(name = "altered: {0}, liar on {1}")
  @CsvSource({
    "-4, 127.0.0.2", // three pieces in four
    "2, 127.0.0.2", // every other piece
    "-4, 127.0.0.1", // on the honest seed's address: bans are per peer, not per address
  })
  void aPeerSendingBadDataIsBannedAndTheDownloadCompletesFromTheHonestSeed(
      int every, String liarAddress) throws Exception {
    InetAddress liarIp = InetAddress.getByName(liarAddress);
    Path seedDir = dir.resolve("seed");
    Torrent torrent =
        TorrentBuilder.create(Swarm.payload(seedDir, 17, 2 * MIB)).pieceLength(PIECE).build();
    Path liarDir = dir.resolve("liar");
    liarCopy(torrent, seedDir, liarDir, every);
    Path resume = dir.resolve("liar.resume");
    BitSet everything = new BitSet();
    everything.set(0, torrent.pieceCount());
    try (PieceStore store = new PieceStore(torrent, FileSystemStorage.open(liarDir, torrent))) {
      store.resumeData(everything).write(resume);
    }

    Swarm.Events events = new Swarm.Events();
    Path target = dir.resolve("download");
    try (TorrentSession honest = TorrentSession.start(Swarm.config().build());
        TorrentSession liar = TorrentSession.start(Swarm.config().listenAddress(liarIp).build());
        TorrentSession leecher = TorrentSession.start(Swarm.config().build())) {
      leecher.addListener(events);
      // The honest seed is slower, so that the liar gets asked for plenty.
      honest
          .add(AddTorrent.torrent(torrent, seedDir).rateLimits(0, MIB).build())
          .completion()
          .get(20, TimeUnit.SECONDS);
      TorrentHandle lying =
          liar.add(AddTorrent.torrent(torrent, liarDir).resumeFile(resume).build());
      lying.completion().get(20, TimeUnit.SECONDS);
      assertThat(lying.status().piecesDone()).as("trusted").isEqualTo(torrent.pieceCount());

      InetSocketAddress liarPeer = new InetSocketAddress(liarIp, liar.listenAddress().getPort());
      liarPeerPort = liarPeer.getPort();
      TorrentHandle leech =
          leecher.add(
              AddTorrent.torrent(torrent, target)
                  .peer(liarPeer)
                  .peer(Swarm.address(honest))
                  .build());
      assertThat(leech.completion())
          .as(() -> "download stalled; events: " + notable(events) + ", status: " + leech.status())
          .succeedsWithin(Duration.ofSeconds(40));
      Swarm.assertSameFiles(torrent, seedDir, target);
      assertThat(leech.status().peers()).noneMatch(p -> p.address().equals(liarPeer));
      Swarm.await(
          Duration.ofSeconds(5),
          "the ban event",
          () -> !events.of(SessionEvent.PeerBanned.class).isEmpty());
      TorrentMetrics metrics = leecher.metrics().torrent(torrent.infoHashes()).orElseThrow();
      assertThat(metrics.get(Metric.HASH_FAILURES)).isPositive();
      assertThat(metrics.get(Metric.WASTED)).isEqualTo(metrics.get(Metric.HASH_FAILURES) * PIECE);
      assertThat(metrics.get(Metric.PIECES_VERIFIED)).isEqualTo(torrent.pieceCount());
    }
    assertThat(events.of(SessionEvent.HashFailed.class))
        .isNotEmpty()
        .allMatch(e -> altered(e.piece(), every), "only altered pieces fail");
    int liarPort = liarPeerPort;
    assertThat(events.of(SessionEvent.PeerBanned.class))
        .isNotEmpty()
        .allMatch(
            e -> e.peer().getAddress().equals(liarIp) && e.peer().getPort() == liarPort,
            "only the liar is banned")
        .allMatch(e -> e.reason() == CloseReason.BAD_DATA, "for bad data");
    assertThat(events.verifiedPieces()).doesNotHaveDuplicates().hasSize(torrent.pieceCount());
  }
}
