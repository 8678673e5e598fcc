package dev.bitwright.session.internal.peer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.wire.PeerMessage;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WireTraceWriterTest {
  private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 6881);
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-12-03T12:00:00Z"), ZoneOffset.UTC);

  @TempDir Path dir;
  private final ArrayDeque<Runnable> disk = new ArrayDeque<>();

  private void runDisk() {
    Runnable task;
    while ((task = disk.poll()) != null) {
      task.run();
    }
  }

  @Test
  void writesLinesInOrderOffTheCallerAndClosesTheFile() throws Exception {
    Path file = dir.resolve("t.trace");
    WireTrace trace = WireTrace.to(file, disk::add, CLOCK, "00ff");
    trace.message(PEER, false, new PeerMessage.Interested());
    trace.message(PEER, true, new PeerMessage.Have(3));
    trace.upload(PEER, 1, 0, 16384);
    assertThat(file).doesNotExist(); // nothing written on the caller's thread
    runDisk();
    trace.close();
    trace.message(PEER, true, new PeerMessage.Choke()); // after close: not recorded
    runDisk();

    assertThat(Files.readAllLines(file))
        .containsExactly(
            "2026-12-03T12:00:00Z 127.0.0.1:6881 out interested",
            "2026-12-03T12:00:00Z 127.0.0.1:6881 in have piece=3",
            "2026-12-03T12:00:00Z 127.0.0.1:6881 out piece piece=1 offset=0 length=16384");
  }

  @Test
  void aDiskThatFallsBehindLosesLinesAndSaysHowMany() throws Exception {
    Path file = dir.resolve("t.trace");
    WireTrace trace = WireTrace.to(file, disk::add, CLOCK, "00ff");
    for (int i = 0; i < WireTrace.MAX_QUEUED + 5; i++) {
      trace.message(PEER, true, new PeerMessage.KeepAlive());
    }
    runDisk();

    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(WireTrace.MAX_QUEUED + 1);
    assertThat(lines.get(lines.size() - 1)).isEqualTo("2026-12-03T12:00:00Z - -- dropped lines=5");
  }

  @Test
  void withoutAFileAndWithTheTraceLogOffNothingIsRecorded() {
    WireTrace trace = WireTrace.logOnly("00ff");
    trace.message(PEER, true, new PeerMessage.Choke());
    trace.close();
    assertThat(trace.on()).isFalse();
    assertThat(disk).isEmpty();
  }
}
