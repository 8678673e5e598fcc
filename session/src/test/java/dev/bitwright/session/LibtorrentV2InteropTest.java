package dev.bitwright.session;

import static java.util.concurrent.TimeUnit.SECONDS;

import dev.bitwright.metainfo.InfoHashes;
import dev.bitwright.metainfo.MagnetLink;
import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentBuilder;
import dev.bitwright.metainfo.TorrentVersion;
import dev.bitwright.wire.EncryptionPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * BitTorrent v2 (BEP 52) against libtorrent 2.0: v2-only and hybrid torrents of files of awkward
 * sizes, both directions, from the {@code .torrent} and from a magnet link with only the v2 hash
 * (which needs the piece layers from the peer: hash requests). Every file's SHA-256 is compared.
 */
@Timeout(120)
class LibtorrentV2InteropTest {
  private static final int PIECE = 32 * 1024;

  @TempDir static Path dir;

  static Path seedDir;
  static Torrent v2;
  static Torrent hybrid;

  @BeforeAll
  static void payload() throws Exception {
    seedDir = dir.resolve("seed");
    // 1 byte, exactly one piece, one byte over, empty, several pieces and a tail, and 513 pieces:
    // more than fit one 512-hash request, and libtorrent asks for the last piece's hash alone.
    Path payload =
        InteropSupport.payload(
            seedDir, "v2", 52, 1, PIECE, PIECE + 1, 0, 5 * PIECE + 1234, 513 * PIECE - 7, 20_000);
    v2 = TorrentBuilder.create(payload).version(TorrentVersion.V2).pieceLength(PIECE).build();
    hybrid =
        TorrentBuilder.create(payload).version(TorrentVersion.HYBRID).pieceLength(PIECE).build();
  }

  enum Kind {
    V2,
    HYBRID
  }

  private static Torrent torrent(Kind kind) {
    return kind == Kind.V2 ? v2 : hybrid;
  }

  private static Path torrentFile(Kind kind) throws Exception {
    Path file = dir.resolve(kind + ".torrent");
    if (!Files.exists(file)) {
      Files.write(file, torrent(kind).toBytes());
    }
    return file;
  }

  /** A magnet with the v2 info-hash only ({@code xt=urn:btmh:1220...}). */
  private static MagnetLink v2Magnet(Kind kind) {
    InfoHashes hashes = torrent(kind).infoHashes();
    return MagnetLink.of(new InfoHashes(Optional.empty(), hashes.v2()));
  }

  private static SessionConfig config() {
    return Swarm.config().encryption(EncryptionPolicy.ENABLED).build();
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void bitwrightDownloadsTheTorrentFromLibtorrent(Kind kind) throws Exception {
    bitwrightDownloads(kind, AddTorrent.torrent(torrent(kind), dir.resolve("bw-t-" + kind)), "t");
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void bitwrightDownloadsAV2MagnetFromLibtorrent(Kind kind) throws Exception {
    bitwrightDownloads(kind, AddTorrent.magnet(v2Magnet(kind), dir.resolve("bw-m-" + kind)), "m");
  }

  private void bitwrightDownloads(Kind kind, AddTorrent.Builder add, String name) throws Exception {
    try (LibtorrentClient seed = ltSeed(kind, name);
        TorrentSession session = TorrentSession.start(config())) {
      AddTorrent request = add.peer(InteropSupport.local(seed.port())).build();
      session.add(request).completion().get(60, SECONDS);
      InteropSupport.assertSameFiles(torrent(kind), seedDir, request.downloadFolder());
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void libtorrentDownloadsTheTorrentFromBitwright(Kind kind) throws Exception {
    libtorrentDownloads(kind, torrentFile(kind).toString(), "t");
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void libtorrentDownloadsAV2MagnetFromBitwright(Kind kind) throws Exception {
    libtorrentDownloads(kind, v2Magnet(kind).toUri(), "m");
  }

  private void libtorrentDownloads(Kind kind, String source, String name) throws Exception {
    Path scratch = Files.createDirectories(dir.resolve("scratch-lt-" + kind + name));
    Path target = Files.createDirectories(dir.resolve("lt-from-bw-" + kind + name));
    try (TorrentSession session = TorrentSession.start(config())) {
      session.add(AddTorrent.torrent(torrent(kind), seedDir).build()).completion().get(30, SECONDS);
      try (LibtorrentClient leech =
          LibtorrentClient.start("leech", source, target, "enabled", scratch)) {
        leech.connectTo(session.listenAddress().getPort());
        leech.awaitFinished(60);
        if (leech.resumes() > 0) {
          System.out.printf(
              "libtorrent resumed %s %s %d time(s) after its inconsistent-hashes race%n",
              kind, name, leech.resumes());
        }
      }
    }
    InteropSupport.assertSameFiles(torrent(kind), seedDir, target);
  }

  private static LibtorrentClient ltSeed(Kind kind, String name) throws Exception {
    Path scratch = Files.createDirectories(dir.resolve("scratch-seed-" + kind + name));
    return LibtorrentClient.start(
        "seed", torrentFile(kind).toString(), seedDir, "enabled", scratch);
  }
}
