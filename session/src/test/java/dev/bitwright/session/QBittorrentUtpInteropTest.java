package dev.bitwright.session;

import static dev.bitwright.session.InteropSupport.assertSameFiles;
import static dev.bitwright.session.InteropSupport.local;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.metainfo.InfoHash;
import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentBuilder;
import dev.bitwright.session.QBittorrentClient.Encryption;
import dev.bitwright.session.QBittorrentClient.Protocol;
import dev.bitwright.wire.EncryptionPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * uTP (BEP 29) with qBittorrent 4.5.2 (Debian's qbittorrent-nox, on libtorrent-rasterbar 2.0.8) on
 * 127.0.0.1. qBittorrent seeds with uTP as its only transport ({@code Session\BTProtocol=UTP}: it
 * still listens on TCP, but closes every TCP connection it accepts), and Bitwright, with TCP off,
 * downloads from it: only uTP can carry the bytes.
 */
@Timeout(120)
class QBittorrentUtpInteropTest {
  @TempDir static Path dir;

  static Path seedDir;
  static Torrent torrent;
  static Path torrentFile;

  @BeforeAll
  static void payload() throws Exception {
    seedDir = dir.resolve("seed");
    // ~4.6 MiB: odd sizes, a 1-byte and an empty file, a sub-folder, files that start and end
    // inside pieces
    Path payload =
        InteropSupport.payload(
            seedDir, "payload", 4520, 2_500_003, 1, 0, 1_234_567, 262_144, 777_777);
    torrent = TorrentBuilder.create(payload).pieceLength(256 * 1024).build();
    torrentFile = dir.resolve("payload.torrent");
    Files.write(torrentFile, torrent.toBytes());
  }

  private static SessionConfig utpOnly(EncryptionPolicy encryption) {
    return SessionConfig.builder()
        .listenAddress(InetAddress.getLoopbackAddress())
        .tcp(false)
        .encryption(encryption)
        .build();
  }

  /**
   * qBittorrent seeds over uTP only; Bitwright (TCP off) is given its address and downloads. In
   * plaintext (qBittorrent prefers encryption but takes plaintext; Bitwright's is off), and with
   * RC4 forced on both sides.
   */
  @ParameterizedTest(name = "qBittorrent encryption {0}, Bitwright {1}")
  @CsvSource({"PREFER, DISABLED", "FORCE, FORCED"})
  void downloadsFromAQBittorrentSeedOverUtp(Encryption theirs, EncryptionPolicy ours)
      throws Exception {
    Path target = dir.resolve("download-" + ours);
    InfoHash hash = torrent.infoHashes().v1().orElseThrow();
    try (QBittorrentClient seed =
        QBittorrentClient.start(dir.resolve("qbt-" + theirs), Protocol.UTP, theirs)) {
      seed.add(torrentFile, seedDir);
      seed.awaitSeeding(hash.hex(), Duration.ofSeconds(30));
      if (theirs != Encryption.FORCE) {
        // with TCP off it must refuse a plaintext handshake over TCP that it would otherwise answer
        assertThat(answersOverTcp(seed.peerPort(), hash))
            .as("qBittorrent answered a handshake over TCP though its BTProtocol is UTP")
            .isFalse();
      }
      try (TorrentSession session = TorrentSession.start(utpOnly(ours))) {
        TorrentHandle handle =
            session.add(AddTorrent.torrent(torrent, target).peer(local(seed.peerPort())).build());
        List<PeerInfo> peers = firstPeers(handle, Duration.ofSeconds(30));
        assertThat(peers)
            .as("peers while connected to qBittorrent (%s)\n%s", handle.status(), seed.log())
            .singleElement()
            .satisfies(p -> assertThat(p.address().getPort()).isEqualTo(seed.peerPort()))
            .satisfies(p -> assertThat(p.transport()).isEqualTo(PeerTransport.UTP))
            .satisfies(
                p ->
                    assertThat(p.client())
                        .hasValueSatisfying(c -> assertThat(c).startsWith("qBittorrent")))
            .satisfies(
                p -> {
                  if (ours == EncryptionPolicy.FORCED) {
                    assertThat(p.flags()).contains(PeerInfo.Flag.ENCRYPTED);
                  } else {
                    assertThat(p.flags()).doesNotContain(PeerInfo.Flag.ENCRYPTED);
                  }
                });
        try {
          handle.completion().get(60, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
          throw new AssertionError(
              "no complete download from qBittorrent: " + handle.status() + "\n" + seed.log(), e);
        }
      }
    }
    assertSameFiles(torrent, seedDir, target);
  }

  /**
   * Returns the first non-empty list of peers the torrent's status shows, polling every 10 ms (a
   * new connection is published at once and stays in the snapshot until the next one, so even a
   * short-lived connection is seen); fails after {@code timeout}.
   */
  private static List<PeerInfo> firstPeers(TorrentHandle handle, Duration timeout)
      throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (true) {
      TorrentStatus status = handle.status();
      if (!status.peers().isEmpty()) {
        return status.peers();
      }
      if (System.nanoTime() - end > 0) {
        throw new AssertionError("no connection to qBittorrent within " + timeout + ": " + status);
      }
      Thread.sleep(10);
    }
  }

  /**
   * Opens a TCP connection to 127.0.0.1:{@code port}, sends a plaintext BitTorrent handshake for
   * {@code hash} and returns whether any byte comes back within 5 s.
   */
  private static boolean answersOverTcp(int port, InfoHash hash) {
    try (Socket socket = new Socket()) {
      socket.connect(local(port), 2000);
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      out.write(19);
      out.write("BitTorrent protocol".getBytes(StandardCharsets.US_ASCII));
      out.write(new byte[8]);
      out.write(hash.bytes());
      out.write("-BW0000-tcpprobe0000".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      return in.read() >= 0;
    } catch (IOException refusedOrReset) {
      return false;
    }
  }
}
