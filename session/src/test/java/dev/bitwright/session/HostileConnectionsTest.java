package dev.bitwright.session;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentBuilder;
import dev.bitwright.testsupport.JvmMemory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Connections that cost the attacker nothing must cost the seed next to nothing: no buffers for a
 * connection that sends nothing, and such connections closed after the handshake timeout.
 */
@Timeout(60)
class HostileConnectionsTest {
  @TempDir Path dir;

  @Test
  void idleConnectionsHoldNoBuffers() throws Exception {
    Torrent torrent =
        TorrentBuilder.create(Swarm.payload(dir.resolve("seed"), 101, 100_000)).build();
    List<Socket> idle = new ArrayList<>();
    try (TorrentSession seeder = Swarm.seeding(torrent, dir.resolve("seed"), 0)) {
      long before = JvmMemory.directBytes();
      try {
        for (int i = 0; i < 150; i++) {
          idle.add(new Socket(Swarm.LOOPBACK, seeder.listenAddress().getPort()));
        }
        Thread.sleep(1000); // every connection accepted
        long grown = JvmMemory.directBytes() - before;
        // 320 KiB each before (a 256 KiB read buffer and a 64 KiB output buffer at accept): 48 MiB
        assertThat(grown).as("direct memory for 150 idle connections").isLessThan(1 << 20);
      } finally {
        for (Socket s : idle) {
          s.close();
        }
      }
    }
  }

  @Test
  void aConnectionThatNeverHandshakesIsClosedAfterTenSeconds() throws Exception {
    Torrent torrent =
        TorrentBuilder.create(Swarm.payload(dir.resolve("seed"), 102, 100_000)).build();
    try (TorrentSession seeder = Swarm.seeding(torrent, dir.resolve("seed"), 0);
        Socket silent = new Socket(Swarm.LOOPBACK, seeder.listenAddress().getPort())) {
      silent.setSoTimeout((int) SECONDS.toMillis(15));
      long start = System.nanoTime();
      assertThat(silent.getInputStream().read()).as("closed by the seed").isEqualTo(-1);
      assertThat(System.nanoTime() - start).isBetween(SECONDS.toNanos(8), SECONDS.toNanos(13));
    } catch (IOException reset) {
      // a reset is a close too
    }
  }

  /**
   * 600 connections that never handshake fill the seed's 200 slots; an honest leecher that comes
   * after them still gets in at once (a connection still handshaking gives way).
   */
  @Test
  void aConnectionStormDoesNotKeepAnHonestLeecherOut() throws Exception {
    Torrent torrent =
        TorrentBuilder.create(Swarm.payload(dir.resolve("seed"), 103, 4 << 20)).build();
    List<Socket> storm = new ArrayList<>();
    try (TorrentSession seeder = Swarm.seeding(torrent, dir.resolve("seed"), 0);
        TorrentSession leecher = TorrentSession.start(Swarm.config().build())) {
      try {
        for (int i = 0; i < 600; i++) {
          storm.add(new Socket(Swarm.LOOPBACK, seeder.listenAddress().getPort()));
        }
        long start = System.nanoTime();
        leecher
            .add(AddTorrent.torrent(torrent, dir.resolve("dl")).peer(Swarm.address(seeder)).build())
            .completion()
            .get(20, SECONDS);
        // before: refused at the full seed, it waited out its back-off (30 s and more)
        assertThat(System.nanoTime() - start).isLessThan(SECONDS.toNanos(5));
      } finally {
        for (Socket s : storm) {
          s.close();
        }
      }
    }
  }

  private static final InetAddress ATTACKER = address(127, 0, 0, 2);

  private static InetAddress address(int... bytes) {
    try {
      return InetAddress.getByAddress(
          new byte[] {(byte) bytes[0], (byte) bytes[1], (byte) bytes[2], (byte) bytes[3]});
    } catch (IOException impossible) {
      throw new IllegalStateException(impossible);
    }
  }

  /** A peer that reconnects as fast as it can, sending nothing, must not keep others out. */
  @Test
  void aReconnectingSlowlorisDoesNotKeepAnHonestLeecherOut() throws Exception {
    Torrent torrent =
        TorrentBuilder.create(Swarm.payload(dir.resolve("seed"), 104, 4 << 20)).build();
    try (TorrentSession seeder = Swarm.seeding(torrent, dir.resolve("seed"), 0);
        TorrentSession leecher = TorrentSession.start(Swarm.config().build())) {
      int port = seeder.listenAddress().getPort();
      AtomicBoolean attacking = new AtomicBoolean(true);
      Thread attacker =
          new Thread(
              () -> {
                List<Socket> open = new ArrayList<>();
                while (attacking.get()) {
                  try {
                    // From another address than the honest leecher's, as attackers are.
                    open.add(new Socket(Swarm.LOOPBACK, port, ATTACKER, 0));
                    if (open.size() > 300) {
                      open.remove(0).close();
                    }
                  } catch (IOException e) {
                    // refused or reset: connect again
                  }
                }
                for (Socket s : open) {
                  try {
                    s.close();
                  } catch (IOException e) {
                    // closing anyway
                  }
                }
              });
      attacker.start();
      try {
        Thread.sleep(500);
        long start = System.nanoTime();
        leecher
            .add(AddTorrent.torrent(torrent, dir.resolve("dl")).peer(Swarm.address(seeder)).build())
            .completion()
            .get(20, SECONDS);
        assertThat(System.nanoTime() - start).isLessThan(SECONDS.toNanos(5));
      } finally {
        attacking.set(false);
        attacker.join(10_000);
      }
    }
  }
}
