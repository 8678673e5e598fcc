package dev.bitwright.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentBuilder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A leecher traces its connection to a seed; the file holds the conversation, line by line. */
@Timeout(60)
class WireTraceTest {
  private static final Pattern LINE =
      Pattern.compile(
          "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z \\S+:\\d+ (in|out|--) [a-z-]+( [a-z_]+=\\S+)*");

  @TempDir Path dir;

  @ParameterizedTest(name = "uTP {0}")
  @ValueSource(booleans = {true, false})
  void recordsEveryMessageOfADownload(boolean utp) throws Exception {
    Path payload = Files.createDirectories(dir.resolve("seed").resolve("payload"));
    byte[] data = new byte[600_000];
    new Random(5).nextBytes(data);
    Files.write(payload.resolve("data.bin"), data);
    Torrent torrent = TorrentBuilder.create(payload).pieceLength(64 * 1024).build();
    Path trace = dir.resolve("wire.trace");
    SessionConfig.Builder config =
        SessionConfig.builder().listenAddress(InetAddress.getLoopbackAddress()).utp(utp);
    try (TorrentSession seeder = TorrentSession.start(config.build());
        TorrentSession leecher = TorrentSession.start(config.build())) {
      seeder
          .add(AddTorrent.torrent(torrent, dir.resolve("seed")).build())
          .completion()
          .get(20, TimeUnit.SECONDS);
      TorrentHandle leech =
          leecher.add(
              AddTorrent.torrent(torrent, dir.resolve("dl"))
                  .peer(
                      new InetSocketAddress(
                          InetAddress.getLoopbackAddress(), seeder.listenAddress().getPort()))
                  .wireTrace(trace)
                  .build());
      leech.completion().get(30, TimeUnit.SECONDS);
    } // closing the session closes the trace

    List<String> lines = Files.readAllLines(trace);
    assertThat(lines).isNotEmpty().allSatisfy(l -> assertThat(l).matches(LINE));
    String all = String.join("\n", lines);
    assertThat(all)
        .contains("-- connected transport=" + (utp ? "utp" : "tcp") + " direction=outgoing")
        .contains(" out handshake info_hash=" + torrent.infoHashes().v1().orElseThrow().hex())
        .contains(" in handshake info_hash=")
        .contains(" out extended id=0 length=")
        .contains(" in have-all")
        .contains(" out interested")
        .contains(" in unchoke")
        .containsPattern(" out request piece=\\d+ offset=0 length=16384")
        .containsPattern(" in piece piece=\\d+ offset=0 length=16384")
        .contains(" -- closed reason=");
    long blocks = lines.stream().filter(l -> l.contains(" in piece ")).count();
    assertThat(blocks).as("every block received is traced").isGreaterThanOrEqualTo(37);
  }
}
