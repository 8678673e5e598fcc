package dev.bitwright.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentVersion;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FileCheckTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final FileCheck.ProgressListener QUIET = (checked, total, bytes) -> {};

  @TempDir Path dir;
  private ExecutorService executor;
  private Torrent torrent;
  private PieceStore store;

  /** A progress call. */
  record Progress(int checked, int total, long bytes) {}

  @BeforeEach
  void setUp() throws IOException {
    executor = Executors.newFixedThreadPool(3);
    torrent =
        Fixtures.build(
            dir, "src", TorrentVersion.HYBRID, 16 * 1024, 1, 100_000, 1, 0, 300_000, 50_000);
    store = new PieceStore(torrent, new InMemoryStorage());
    Fixtures.copyAll(new PieceStore(torrent, FileSystemStorage.open(dir, torrent)), store);
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    executor.shutdownNow();
    assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  private void corrupt(int... pieces) throws IOException {
    for (int p : pieces) {
      store.writeBlock(p, 0, ByteBuffer.wrap(new byte[] {(byte) 0xAA, (byte) 0x55}));
    }
  }

  private static Throwable failureOf(CompletableFuture<BitSet> result) {
    assertThat(result).failsWithin(TIMEOUT);
    try {
      result.get();
      throw new AssertionError("expected a failure");
    } catch (ExecutionException | CancellationException e) {
      Throwable cause = e;
      while (cause.getCause() != null && !(cause instanceof CancellationException)) {
        cause = cause.getCause();
      }
      return cause;
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3})
  void theResultIsThePiecesThatVerify(int lanes) throws IOException {
    corrupt(0, 7, store.map().pieceCount() - 1);
    BitSet expected = store.map().allPieces();
    expected.clear(0);
    expected.clear(7);
    expected.clear(store.map().pieceCount() - 1);
    List<Progress> calls = new ArrayList<>();
    FileCheck check =
        FileCheck.start(
            store,
            store.map().allPieces(),
            executor,
            lanes,
            (c, t, b) -> calls.add(new Progress(c, t, b)));
    assertThat(check.result()).succeedsWithin(TIMEOUT).isEqualTo(expected);

    int total = store.map().pieceCount();
    long bytes = 0;
    for (int p = 0; p < total; p++) {
      bytes += store.map().pieceSize(p);
    }
    assertThat(calls).hasSize(total);
    for (int i = 0; i < calls.size(); i++) {
      assertThat(calls.get(i).checked()).isEqualTo(i + 1);
      assertThat(calls.get(i).total()).isEqualTo(total);
      if (i > 0) {
        assertThat(calls.get(i).bytes()).isGreaterThan(calls.get(i - 1).bytes());
      }
    }
    assertThat(calls.get(calls.size() - 1)).isEqualTo(new Progress(total, total, bytes));
  }

  @Test
  void onlyThePiecesAskedForAreChecked() throws IOException {
    corrupt(2, 3);
    BitSet toCheck = new BitSet();
    toCheck.set(1, 5);
    toCheck.set(10);
    BitSet expected = new BitSet();
    expected.set(1);
    expected.set(4);
    expected.set(10);
    List<Progress> calls = new ArrayList<>();
    FileCheck check =
        FileCheck.start(store, toCheck, executor, 2, (c, t, b) -> calls.add(new Progress(c, t, b)));
    assertThat(check.result()).succeedsWithin(TIMEOUT).isEqualTo(expected);
    assertThat(calls).hasSize(5);
    assertThat(calls.get(4).total()).isEqualTo(5);
  }

  @Test
  void anEmptySetCompletesWithAnEmptyResult() {
    FileCheck check = FileCheck.start(store, new BitSet(), executor, 3, QUIET);
    assertThat(check.result()).succeedsWithin(TIMEOUT).isEqualTo(new BitSet());
    FileCheck direct = FileCheck.start(store, new BitSet(), Runnable::run, 1, QUIET);
    assertThat(direct.result()).isCompletedWithValue(new BitSet());
  }

  @Test
  void invalidArgumentsAreRejected() {
    BitSet all = store.map().allPieces();
    assertThatThrownBy(() -> FileCheck.start(store, all, executor, 0, QUIET))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FileCheck.start(store, all, executor, -1, QUIET))
        .isInstanceOf(IllegalArgumentException.class);
    BitSet beyond = new BitSet();
    beyond.set(store.map().pieceCount());
    assertThatThrownBy(() -> FileCheck.start(store, beyond, executor, 1, QUIET))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FileCheck.start(store, all, null, 1, QUIET))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void cancelBeforeAnyLaneRunsCancelsTheResult() {
    List<Runnable> queued = new ArrayList<>();
    List<Progress> calls = new ArrayList<>();
    FileCheck check =
        FileCheck.start(
            store,
            store.map().allPieces(),
            queued::add,
            2,
            (c, t, b) -> calls.add(new Progress(c, t, b)));
    assertThat(queued).hasSize(2);
    CompletableFuture<BitSet> result = check.result();
    assertThat(result).isNotDone();
    check.cancel();
    queued.forEach(Runnable::run);
    assertThat(failureOf(result)).isInstanceOf(CancellationException.class);
    assertThat(failureOf(check.result())).isInstanceOf(CancellationException.class);
    assertThat(calls).as("no piece checked").isEmpty();
  }

  @Test
  void cancelWhileCheckingStopsSoon() {
    AtomicReference<FileCheck> self = new AtomicReference<>();
    List<Progress> calls = new ArrayList<>();
    FileCheck check =
        FileCheck.start(
            store,
            store.map().allPieces(),
            queued ->
                executor.execute(
                    () -> {
                      while (self.get() == null) {
                        Thread.onSpinWait();
                      }
                      queued.run();
                    }),
            2,
            (c, t, b) -> {
              calls.add(new Progress(c, t, b));
              if (c == 3) {
                self.get().cancel();
              }
            });
    self.set(check);
    assertThat(failureOf(check.result())).isInstanceOf(CancellationException.class);
    assertThat(calls.size()).isBetween(3, 3 + 2).isLessThan(store.map().pieceCount());
  }

  @Test
  void aStorageFailureFailsTheResultWithIt() throws IOException {
    TestStorage failing = new TestStorage();
    PieceStore broken = new PieceStore(torrent, failing);
    Fixtures.copyAll(store, broken);
    int f03 = 0;
    while (!torrent.files().get(f03).path().equals(List.of("f03"))) {
      f03++;
    }
    int failingFile = f03;
    failing.failReads((file, position) -> file == failingFile);
    FileCheck check = FileCheck.start(broken, broken.map().allPieces(), executor, 3, QUIET);
    Throwable failure = failureOf(check.result());
    assertThat(failure).isInstanceOf(StorageException.class);
    assertThat(((StorageException) failure).operation()).isEqualTo("read");
    assertThat(failure.getMessage()).contains("injected failure");
  }

  @Test
  void anExecutorThatRejectsTheLanesFailsTheResult() {
    FileCheck check =
        FileCheck.start(
            store,
            store.map().allPieces(),
            task -> {
              throw new RejectedExecutionException("shut down");
            },
            2,
            QUIET);
    assertThat(failureOf(check.result())).isInstanceOf(RejectedExecutionException.class);
  }

  @Test
  void aV2TorrentWithoutPieceLayersFailsTheCheckWithIllegalState() throws IOException {
    Torrent v2 = Fixtures.build(dir, "v2", TorrentVersion.V2, 16 * 1024, 2, 40_000);
    Torrent bare = Torrent.parseInfo(v2.infoBytes());
    PieceStore bareStore = new PieceStore(bare, FileSystemStorage.open(dir, bare));
    FileCheck check = FileCheck.start(bareStore, bareStore.map().allPieces(), executor, 2, QUIET);
    assertThat(failureOf(check.result())).isInstanceOf(IllegalStateException.class);
  }
}
