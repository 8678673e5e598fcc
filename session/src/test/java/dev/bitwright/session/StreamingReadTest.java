package dev.bitwright.session;

import static dev.bitwright.session.Swarm.MIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bitwright.metainfo.MagnetLink;
import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentBuilder;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading a file while it downloads ({@link TorrentHandle#openFile}): from a rate-limited
 * libtorrent seed, the first bytes and the bytes after a seek far ahead come long before the whole
 * download would, and every byte read is the source's.
 */
@Timeout(120)
class StreamingReadTest {
  private static final int SIZE = 64 * MIB;
  private static final long SEED_RATE = 8L << 20;

  @TempDir static Path dir;
  static Path seedDir;
  static Path video;
  static Torrent torrent;

  @BeforeAll
  static void payload() throws Exception {
    seedDir = dir.resolve("seed");
    video = Swarm.payload(seedDir, 41, SIZE).resolve("f0.bin");
    torrent = TorrentBuilder.create(video).pieceLength(256 * 1024).build();
  }

  private static byte[] readFully(TorrentFileChannel channel, long at, int length)
      throws Exception {
    channel.position(at);
    ByteBuffer into = ByteBuffer.allocate(length);
    while (into.hasRemaining()) {
      assertThat(channel.read(into)).isPositive();
    }
    return into.array();
  }

  private static byte[] source(long at, int length) throws Exception {
    byte[] all = Files.readAllBytes(video);
    return Arrays.copyOfRange(all, (int) at, (int) at + length);
  }

  @Test
  void aFileIsReadWhileItDownloadsWithSeeksFarAhead() throws Exception {
    Path torrentFile = Files.write(dir.resolve("video.torrent"), torrent.toBytes());
    Path scratch = Files.createDirectories(dir.resolve("scratch"));
    try (LibtorrentClient seed =
            LibtorrentClient.start(
                "seed",
                torrentFile.toString(),
                seedDir.resolve("payload"),
                "enabled",
                scratch,
                SEED_RATE);
        TorrentSession session = TorrentSession.start(Swarm.config().build())) {
      long start = System.nanoTime();
      TorrentHandle handle =
          session.add(
              AddTorrent.torrent(torrent, dir.resolve("player"))
                  .peer(InteropSupport.local(seed.port()))
                  .build());
      try (TorrentFileChannel channel = handle.openFile(0, Duration.ofSeconds(60))) {
        assertThat(channel.size()).isEqualTo(SIZE);
        assertThat(readFully(channel, 0, 64 * 1024)).isEqualTo(source(0, 64 * 1024));
        long firstByteMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        Random random = new Random(5);
        long seekMillis = 0;
        long firstSeekDoneMillis = -1;
        for (int i = 0; i < 4; i++) {
          long at = SIZE / 2 + random.nextInt(SIZE / 2 - MIB);
          long before = System.nanoTime();
          assertThat(readFully(channel, at, 300_000)).isEqualTo(source(at, 300_000));
          seekMillis =
              Math.max(seekMillis, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before));
          if (firstSeekDoneMillis < 0) {
            firstSeekDoneMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
          }
        }
        channel.position(0);
        MessageDigest read = MessageDigest.getInstance("SHA-256");
        try (InputStream in = channel.inputStream()) {
          byte[] buffer = new byte[1 << 16];
          for (int n; (n = in.read(buffer)) > 0; ) {
            read.update(buffer, 0, n);
          }
        }
        long allMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        System.out.printf(
            "streaming %d MiB from a libtorrent seed at %d MiB/s: first bytes after %d ms, a seek"
                + " far ahead answered within %d ms (the first done %d ms after the start), the whole"
                + " file read in %d ms%n",
            SIZE / MIB,
            SEED_RATE >> 20,
            firstByteMillis,
            seekMillis,
            firstSeekDoneMillis,
            allMillis);
        assertThat(read.digest())
            .isEqualTo(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(video)));
        assertThat(firstSeekDoneMillis)
            .as("a seek far ahead answered long before the whole file")
            .isLessThan(allMillis * 2 / 3);
        assertThat(firstByteMillis)
            .as("the first bytes long before the whole file")
            .isLessThan(allMillis / 2);
      }
    }
  }

  @Test
  void aReadWaitsAtMostItsTimeoutAndClosingEndsAWait() throws Exception {
    try (TorrentSession session = TorrentSession.start(Swarm.config().build())) {
      TorrentHandle handle =
          session.add(AddTorrent.torrent(torrent, dir.resolve("nobody")).build());
      TorrentFileChannel channel = handle.openFile(0, Duration.ofMillis(300));
      assertThatThrownBy(() -> channel.read(ByteBuffer.allocate(10)))
          .isInstanceOf(InterruptedIOException.class)
          .hasMessageContaining("not downloaded within");
      TorrentFileChannel waiting = handle.openFile(0, Duration.ofSeconds(30));
      CompletableFuture<Integer> read =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return waiting.read(ByteBuffer.allocate(10));
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      Thread.sleep(300);
      waiting.close();
      assertThatThrownBy(() -> read.get(5, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasRootCauseInstanceOf(AsynchronousCloseException.class);
      assertThatThrownBy(() -> waiting.read(ByteBuffer.allocate(1)))
          .isInstanceOf(ClosedChannelException.class);
      assertThatThrownBy(() -> channel.write(ByteBuffer.allocate(1)))
          .isInstanceOf(NonWritableChannelException.class);
      channel.close();
    }
  }

  @Test
  void aCompleteFileReadsAtOnceAndAMagnetWithoutMetadataCannotBeOpened() throws Exception {
    try (TorrentSession session = TorrentSession.start(Swarm.config().build())) {
      TorrentHandle seeding =
          session.add(AddTorrent.torrent(torrent, seedDir.resolve("payload")).build());
      seeding.completion().get(30, TimeUnit.SECONDS);
      try (TorrentFileChannel channel = seeding.openFile(0, Duration.ofSeconds(5))) {
        assertThat(readFully(channel, SIZE - 100, 100)).isEqualTo(source(SIZE - 100, 100));
        assertThat(channel.read(ByteBuffer.allocate(1))).isEqualTo(-1);
      }
      TorrentHandle magnet =
          session.add(
              AddTorrent.magnet(
                      MagnetLink.parse(
                          "magnet:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567"),
                      dir.resolve("m"))
                  .build());
      assertThatThrownBy(() -> magnet.openFile(0, Duration.ofSeconds(1)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("metadata");
      assertThatThrownBy(() -> seeding.openFile(1, Duration.ofSeconds(1)))
          .isInstanceOf(IndexOutOfBoundsException.class);
    }
  }
}
