package dev.bitwright.session.internal.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentBuilder;
import dev.bitwright.metainfo.TorrentVersion;
import dev.bitwright.session.AddTorrent;
import dev.bitwright.session.FailureReason;
import dev.bitwright.session.internal.net.EngineLoop;
import dev.bitwright.session.internal.peer.Block;
import dev.bitwright.session.internal.peer.PeerKey;
import dev.bitwright.session.internal.telemetry.DiskCounters;
import dev.bitwright.storage.FileState;
import dev.bitwright.storage.InMemoryStorage;
import dev.bitwright.storage.Storage;
import dev.bitwright.storage.StorageException;
import dev.bitwright.wire.PeerId;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Executor;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A torrent's data on its own: a loop that runs what is posted to it when the test drains it, disk
 * work done at once on the calling thread, a storage in memory whose writes can be made to fail,
 * and no piece buffers (every block goes to the disk on its own).
 */
class TorrentDataTest {
  private static final int PIECE = 2 * Block.SIZE;

  @TempDir Path dir;

  private final QueueLoop loop = new QueueLoop();
  private final FailingStorage storage = new FailingStorage();
  private final RecordingHost host = new RecordingHost();
  private final PeerKey peer =
      new PeerKey(InetAddress.getLoopbackAddress(), PeerId.generate(new SplittableRandom(1)));
  private byte[] payload;
  private TorrentData data;

  @BeforeEach
  void checkAnEmptyTorrent() throws IOException {
    payload = new byte[PIECE];
    new SplittableRandom(7).nextBytes(payload);
    Path file = Files.write(dir.resolve("payload.bin"), payload);
    Torrent torrent =
        TorrentBuilder.create(file).version(TorrentVersion.V1).pieceLength(PIECE).build();
    AddTorrent request =
        AddTorrent.torrent(torrent, dir.resolve("download")).storage((f, t) -> storage).build();
    data = new TorrentData(host, new Access(), request, torrent);
    data.check();
    loop.drain();
    assertThat(data.checked()).isTrue();
  }

  @Test
  void aPieceWhoseBlockWriteFailedIsVerifiedWhenDownloadedAgainAfterAResume() {
    // The first block's write fails, the second's succeeds: the torrent fails.
    List<Block> blocks = pick();
    storage.failWrites = true;
    receive(blocks.get(0));
    storage.failWrites = false;
    receive(blocks.get(1));
    loop.drain();
    assertThat(host.failures).hasSize(1);
    assertThat(host.verified).isEmpty();
    // As the torrent does when it fails; resuming, it fetches the piece again block by block.
    data.abandonAssemblies();
    data.attemptFailed();

    pick().forEach(this::receive);
    loop.drain();

    assertThat(host.verified).containsExactly(0);
    assertThat(host.failures).hasSize(1);
  }

  @Test
  void aPieceWrittenBlockByBlockIsVerified() {
    pick().forEach(this::receive);
    loop.drain();

    assertThat(host.verified).containsExactly(0);
    assertThat(host.finished).isTrue();
    assertThat(host.failures).isEmpty();
  }

  /** Picks every block of the torrent's one piece, as for a seed. */
  private List<Block> pick() {
    List<Block> blocks = data.picker().pick(null, 8, b -> false, null);
    assertThat(blocks).hasSize(2);
    return blocks;
  }

  private void receive(Block block) {
    assertThat(data.picker().received(block)).isTrue();
    data.write(peer, block, ByteBuffer.wrap(payload, block.offset(), block.length()));
  }

  /** A loop that runs its tasks when drained, on the test's thread. */
  private static final class QueueLoop implements EngineLoop {
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();

    void drain() {
      Runnable task;
      while ((task = tasks.poll()) != null) {
        task.run();
      }
    }

    @Override
    public long nanoTime() {
      return 0;
    }

    @Override
    public void execute(Runnable task) {
      tasks.add(task);
    }

    @Override
    public Timer schedule(long delayNanos, Runnable task) {
      return () -> {};
    }

    @Override
    public boolean inLoop() {
      return true;
    }
  }

  /** The disk resources, with disk work done at once and no piece buffers. */
  private final class Access implements DiskAccess {
    private final Executor disk = Runnable::run;
    private final DiskWriter writer = new DiskWriter(disk, loop, new DiskCounters());
    private final BlockBuffers blockBuffers = new BlockBuffers();
    private final PieceBuffers pieceBuffers = new PieceBuffers(0);

    @Override
    public EngineLoop loop() {
      return loop;
    }

    @Override
    public Executor disk() {
      return disk;
    }

    @Override
    public RandomGenerator random() {
      return new SplittableRandom(3);
    }

    @Override
    public DiskWriter diskWriter() {
      return writer;
    }

    @Override
    public BlockBuffers blockBuffers() {
      return blockBuffers;
    }

    @Override
    public PieceBuffers pieceBuffers() {
      return pieceBuffers;
    }

    @Override
    public void diskQueued(int bytes) {}

    @Override
    public void diskDone(int bytes) {}
  }

  /** A downloading torrent that records what its data reports. */
  private static final class RecordingHost implements DataHost {
    final List<String> failures = new ArrayList<>();
    final List<Integer> verified = new ArrayList<>();
    boolean finished;

    @Override
    public boolean sequential() {
      return false;
    }

    @Override
    public Map<Integer, Long> takePendingDeadlines() {
      return Map.of();
    }

    @Override
    public boolean isDownloading() {
      return true;
    }

    @Override
    public void checking() {}

    @Override
    public void checked() {}

    @Override
    public void fail(FailureReason reason, String message, Throwable cause) {
      failures.add(message);
    }

    @Override
    public void pieceFailed(int piece) {}

    @Override
    public void seedModeFailed(int piece) {}

    @Override
    public void pieceVerified(int piece) {
      verified.add(piece);
    }

    @Override
    public void finished() {
      finished = true;
    }

    @Override
    public void wantsPiecesAgain() {}

    @Override
    public boolean isBanned(PeerKey peer) {
      return false;
    }

    @Override
    public void convict(Set<PeerKey> peers) {}
  }

  /** Storage in memory whose writes fail while {@link #failWrites} is set, as a full disk's. */
  private static final class FailingStorage implements Storage {
    private final InMemoryStorage files = new InMemoryStorage();
    boolean failWrites;

    @Override
    public int read(int file, long position, ByteBuffer target) {
      return files.read(file, position, target);
    }

    @Override
    public void write(int file, long position, ByteBuffer source) throws IOException {
      if (failWrites) {
        throw new StorageException("write", "file " + file, "no space left on device", null);
      }
      files.write(file, position, source);
    }

    @Override
    public Optional<FileState> state(int file) {
      return files.state(file);
    }

    @Override
    public void flush() {
      files.flush();
    }

    @Override
    public void delete() {
      files.delete();
    }

    @Override
    public void close() {
      files.close();
    }
  }
}
