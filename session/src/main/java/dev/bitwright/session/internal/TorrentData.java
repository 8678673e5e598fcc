package dev.bitwright.session.internal;

import dev.bitwright.metainfo.MagnetLink;
import dev.bitwright.metainfo.Torrent;
import dev.bitwright.session.AddTorrent;
import dev.bitwright.session.SessionEvent;
import dev.bitwright.session.TorrentState;
import dev.bitwright.storage.FileCheck;
import dev.bitwright.storage.FilePriority;
import dev.bitwright.storage.PieceMap;
import dev.bitwright.storage.PieceStore;
import dev.bitwright.storage.ResumeData;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * A torrent's data: the piece store, the picker, checking at start (trusting resume data for
 * unchanged files), block writes and piece verification on the disk executor, hash-failure
 * accounting ({@link PieceBlame}: only the peers that sent bad blocks are banned), file priorities
 * and resume data. Loop thread, except the tasks it sends to the disk executor.
 */
final class TorrentData {
  private static final long RESUME_SAVE_NANOS = 30_000_000_000L;

  final TorrentRuntime runtime;
  final Torrent torrent;
  final PieceStore store;
  final PieceMap map;
  final byte[] infoBytes;
  final HashServer hashes;
  PiecePicker picker;
  private final Executor disk;
  private final Optional<Path> resumeFile;
  private final FilePriority[] priorities;
  private final PieceBytes pieceBytes;
  // Blocks of each piece queued for the disk, by piece: touched for every block, so not boxed.
  private final IntIntMap pendingWrites = new IntIntMap();
  // Pieces assembled in memory from their first block (PieceBuffers), by index: looked up for every
  // block, so not boxed.
  private final IntObjectMap<ByteBuffer> assembling = new IntObjectMap<>();

  private final PieceBlame<PeerKey> blame = new PieceBlame<>();
  private boolean checked;
  private boolean checking;
  // Closed (the torrent was removed): results of disk work still under way are dropped.
  private boolean closed;
  private boolean resumeDirty;
  // Every wanted piece is verified and the empty files are being created (see finish()).
  private boolean finishing;
  // Counts the torrent's failures: disk work records the attempt it was started in.
  private int attempt;
  private long lastResumeSave;

  TorrentData(TorrentRuntime runtime, Torrent torrent) throws IOException {
    this.runtime = runtime;
    this.torrent = torrent;
    this.disk = runtime.engine.disk();
    this.store =
        new PieceStore(
            torrent, runtime.request.storage().open(runtime.request.downloadFolder(), torrent));
    this.map = store.map();
    this.infoBytes = torrent.infoBytes();
    this.hashes = new HashServer(this);
    this.resumeFile = runtime.request.resumeFile();
    this.priorities = initialPriorities(runtime.request, torrent.files().size());
    this.pieceBytes = new PieceBytes(map, priorities);
    for (int f = 0; f < priorities.length; f++) {
      if (priorities[f] != FilePriority.NORMAL) {
        store.setPriority(f, priorities[f]);
      }
    }
  }

  /**
   * The priorities asked for when the torrent was added; without any, a magnet's BEP 53 {@code so}
   * selection (files outside it skipped); files beyond both are normal.
   */
  private static FilePriority[] initialPriorities(AddTorrent request, int fileCount) {
    FilePriority[] result = new FilePriority[fileCount];
    List<FilePriority> asked = request.priorities();
    List<MagnetLink.FileRange> selected =
        asked.isEmpty()
            ? request.magnet().map(MagnetLink::selectOnly).orElse(List.of())
            : List.of();
    for (int f = 0; f < fileCount; f++) {
      final int file = f;
      if (f < asked.size()) {
        result[f] = asked.get(f);
      } else if (!selected.isEmpty() && selected.stream().noneMatch(r -> r.contains(file))) {
        result[f] = FilePriority.SKIP;
      } else {
        result[f] = FilePriority.NORMAL;
      }
    }
    return result;
  }

  boolean checked() {
    return checked;
  }

  /** Checks existing data on the disk executor: resume data first, then a recheck of the rest. */
  void check() {
    check(true, null);
  }

  /** Checks every piece, ignoring resume data; {@code done} completes after. */
  void recheck(CompletableFuture<Void> done) {
    checked = false;
    check(false, done);
  }

  private void check(boolean useResume, CompletableFuture<Void> done) {
    if (checking) {
      if (done != null) {
        done.complete(null);
      }
      return;
    }
    checking = true;
    runtime.setState(TorrentState.CHECKING);
    disk.execute(
        () -> {
          BitSet trusted = new BitSet();
          BitSet toCheck = map.allPieces();
          try {
            Optional<ResumeData> resume =
                useResume && resumeFile.isPresent()
                    ? ResumeData.read(resumeFile.get())
                    : Optional.empty();
            if (resume.isPresent()) {
              ResumeData.Plan plan = resume.get().plan(store);
              trusted = plan.trusted();
              toCheck = plan.recheck();
            }
          } catch (IOException e) {
            // Unreadable resume data: check everything.
          }
          try {
            toCheck = store.piecesWithStoredBytes(toCheck);
          } catch (IOException e) {
            // The files' sizes are unknown: read every piece to find out.
          }
          BitSet start = trusted;
          FileCheck.start(store, toCheck, disk, 2, (n, total, bytes) -> {})
              .result()
              .whenComplete(
                  (valid, error) ->
                      runtime
                          .engine
                          .loop()
                          .execute(
                              () -> {
                                checkDone(start, valid, error);
                                if (done != null) {
                                  done.complete(null);
                                }
                              }));
        });
  }

  private void checkDone(BitSet trusted, BitSet valid, Throwable error) {
    checking = false;
    // The new picker starts every piece afresh: blocks held in memory are dropped with the old one.
    releaseAssemblies();
    if (error != null) {
      Throwable cause =
          error instanceof CompletionException && error.getCause() != null
              ? error.getCause()
              : error;
      runtime.fail("checking files failed: " + cause.getMessage());
      return;
    }
    BitSet have = (BitSet) trusted.clone();
    have.or(valid);
    // A recheck replaces the picker: the deadlines of the old one still hold.
    Map<Integer, Long> deadlines = new HashMap<>(picker == null ? Map.of() : picker.deadlines());
    deadlines.putAll(runtime.pendingDeadlines);
    picker = new PiecePicker(map, have, runtime.engine.random());
    picker.setSequential(runtime.sequentialMode);
    deadlines.forEach(
        (piece, at) -> {
          if (piece < map.pieceCount()) {
            picker.setDeadline(piece, at);
          }
        });
    runtime.pendingDeadlines.clear();
    applyPriorities();
    checked = true;
    resumeDirty = true;
    runtime.checked();
  }

  /** Recomputes piece priorities from file priorities: a piece takes its most wanted file's. */
  private void applyPriorities() {
    int[] levels = new int[map.pieceCount()];
    for (int f = 0; f < priorities.length; f++) {
      if (map.isPadding(f) || map.fileLength(f) == 0) {
        continue;
      }
      int level = priorities[f].ordinal();
      for (int p = map.firstPiece(f); p <= map.lastPiece(f); p++) {
        levels[p] = Math.max(levels[p], level);
      }
    }
    for (int p = 0; p < levels.length; p++) {
      picker.setPriority(p, levels[p]);
    }
  }

  void setPriority(int file, FilePriority priority) {
    priorities[file] = priority;
    pieceBytes.prioritiesChanged(priorities);
    disk.execute(
        () -> {
          try {
            store.setPriority(file, priority);
          } catch (IOException e) {
            runtime.engine.loop().execute(() -> runtime.fail("disk: " + e.getMessage()));
          }
        });
    if (picker != null) {
      applyPriorities();
      for (int piece : assembling.keys()) {
        if (!picker.isWanted(piece)) {
          // Not spilled: the storage may already drop bytes of a skipped file. Fetched again if
          // wanted again.
          abandon(piece);
        }
      }
      if (picker.isComplete() && runtime.state == TorrentState.DOWNLOADING) {
        finish();
      } else if (!picker.isComplete() && runtime.isUploadOnly()) {
        runtime.setState(TorrentState.DOWNLOADING);
        runtime.downloadingAgain();
      }
    }
  }

  boolean wanted(int piece) {
    return picker != null && !picker.have(piece) && picker.isWanted(piece);
  }

  /**
   * Takes a received block. A piece whose first block finds a free {@link PieceBuffers} buffer is
   * assembled there and, once complete, hashed in memory and written in one call; other blocks are
   * copied and written on their own, and their piece is read back to be hashed.
   */
  void write(PeerConnection source, Block block, ByteBuffer data) {
    int piece = block.piece();
    blame.received(piece, block.offset(), source.key());
    ByteBuffer assembly = assembling.get(piece);
    if (assembly == null && picker.receivedCount(piece) == 1) {
      assembly = runtime.engine.pieceBuffers().take(map.pieceSize(piece));
      if (assembly != null) {
        assembling.put(piece, assembly);
      }
    }
    if (assembly == null) {
      queueWrite(block, data);
      return;
    }
    assembly.put(block.offset(), data, data.position(), data.remaining());
    data.position(data.limit());
    if (picker.allBlocksReceived(piece)) {
      assembling.remove(piece);
      verifyAssembled(piece, assembly);
    }
  }

  /** Copies a block and writes it on the disk executor. */
  private void queueWrite(Block block, ByteBuffer data) {
    ByteBuffer copy = runtime.engine.blockBuffers().take(data.remaining());
    copy.put(data).flip();
    pendingWrites.add(block.piece(), 1);
    runtime.engine.diskQueued(block.length());
    int attemptNow = attempt;
    runtime
        .engine
        .diskWriter()
        .write(
            new DiskWriter.Job(
                store, block, copy, (job, failure) -> written(job, failure, attemptNow)));
  }

  /**
   * Sends the blocks assembled so far of every piece to the disk one by one, and frees their
   * buffers: the torrent pauses, and its pieces will not complete soon.
   */
  void spillAssemblies() {
    for (int piece : assembling.keys()) {
      spill(piece);
    }
  }

  private void spill(int piece) {
    ByteBuffer assembly = assembling.remove(piece);
    BitSet blocks = picker.receivedBlocks(piece);
    for (int b = blocks.nextSetBit(0); b >= 0; b = blocks.nextSetBit(b + 1)) {
      int offset = b * Block.SIZE;
      int length = Math.min(Block.SIZE, assembly.capacity() - offset);
      queueWrite(new Block(piece, offset, length), assembly.slice(offset, length));
    }
    runtime.engine.pieceBuffers().give(assembly);
  }

  /** Forgets the blocks of every piece held in memory: they will be downloaded again. */
  void abandonAssemblies() {
    for (int piece : assembling.keys()) {
      abandon(piece);
    }
  }

  private void abandon(int piece) {
    runtime.engine.pieceBuffers().give(assembling.remove(piece));
    picker.forget(piece);
    blame.forget(piece);
  }

  private void releaseAssemblies() {
    for (int piece : assembling.keys()) {
      runtime.engine.pieceBuffers().give(assembling.remove(piece));
    }
  }

  /** Hashes a complete assembled piece and writes it if it passes, on the disk executor. */
  private void verifyAssembled(int piece, ByteBuffer assembly) {
    boolean failedBefore = blame.failedBefore(piece);
    PiecePicker pickedBy = picker;
    int attemptNow = attempt;
    int size = assembly.capacity();
    runtime.engine.diskQueued(size);
    disk.execute(
        () -> {
          Runnable then;
          try {
            boolean ok = store.writeVerifiedPiece(piece, assembly.duplicate().clear());
            Map<Integer, Integer> checksums =
                ok && !failedBefore ? Map.of() : PieceBlame.checksums(assembly.duplicate().clear());
            then = () -> verified(pickedBy, piece, ok, checksums);
          } catch (IOException | RuntimeException e) {
            then =
                () ->
                    diskFailed(pickedBy, attemptNow, piece, "disk write failed: " + e.getMessage());
          }
          Runnable next = then;
          runtime
              .engine
              .loop()
              .execute(
                  () -> {
                    releaseAssembly(assembly);
                    next.run();
                  });
        });
  }

  private void releaseAssembly(ByteBuffer assembly) {
    runtime.engine.diskDone(assembly.capacity());
    runtime.engine.pieceBuffers().give(assembly);
  }

  private void written(DiskWriter.Job job, IOException failure, int attemptThen) {
    runtime.engine.blockBuffers().give(job.data());
    if (failure != null || closed) {
      runtime.engine.diskDone(job.block().length());
      diskFailed(
          picker,
          attemptThen,
          job.block().piece(),
          failure == null ? null : "disk write failed: " + failure.getMessage());
      return;
    }
    written(job.block());
  }

  private void written(Block block) {
    runtime.engine.diskDone(block.length());
    resumeDirty = true; // the file changed: its size and time in the resume data are old
    int piece = block.piece();
    int left = pendingWrites.add(piece, -1);
    if (left == 0) {
      pendingWrites.remove(piece, 0);
      if (picker.allBlocksReceived(piece)) {
        verify(piece);
      }
    }
  }

  private void verify(int piece) {
    // Checksums of the blocks: of the bad data when the piece fails, to compare with the good data
    // once it passes, so that exactly the peers that sent bad blocks are banned.
    boolean failedBefore = blame.failedBefore(piece);
    PiecePicker pickedBy = picker;
    int attemptNow = attempt;
    int size = map.pieceSize(piece);
    disk.execute(
        () -> {
          try {
            boolean ok = store.verifyPiece(piece);
            Map<Integer, Integer> checksums =
                ok && !failedBefore ? Map.of() : PieceBlame.checksums(store, piece, size);
            runtime.engine.loop().execute(() -> verified(pickedBy, piece, ok, checksums));
          } catch (IOException | RuntimeException e) {
            runtime
                .engine
                .loop()
                .execute(
                    () ->
                        diskFailed(
                            pickedBy, attemptNow, piece, "disk read failed: " + e.getMessage()));
          }
        });
  }

  /**
   * Disk work on {@code piece} for the picker {@code pickedBy}, started in attempt {@code
   * attemptThen}, failed with {@code message} (or, if null, was dropped): the piece is fetched
   * again later, and the torrent fails, unless it was removed or rechecked since, or the failure
   * belongs to an attempt that failed already (a resume must not fail on what was still queued).
   */
  private void diskFailed(PiecePicker pickedBy, int attemptThen, int piece, String message) {
    if (closed || picker != pickedBy) {
      return;
    }
    // The piece's blocks are not on the disk: fetched again when the torrent resumes.
    picker.forget(piece);
    blame.forget(piece);
    if (message != null && attemptThen == attempt) {
      runtime.fail(message);
    }
  }

  /** The torrent failed: disk work still under way belongs to the failed attempt. */
  void attemptFailed() {
    attempt++;
  }

  private void verified(
      PiecePicker pickedBy, int piece, boolean ok, Map<Integer, Integer> checksums) {
    if (closed || picker != pickedBy) {
      return; // removed or rechecked since: the new picker decides about this piece afresh
    }
    if (!ok) {
      picker.pieceFailed(piece);
      runtime.engine.emit(new SessionEvent.HashFailed(runtime.infoHashes, piece));
      convict(blame.pieceFailed(piece, checksums, runtime.candidates::isBanned));
      return;
    }
    if (!picker.isWanted(piece)) {
      // Its files were skipped while it was checked: the storage may not have kept its bytes.
      picker.forget(piece);
      blame.forget(piece);
      return;
    }
    convict(blame.piecePassed(piece, checksums));
    picker.pieceVerified(piece);
    resumeDirty = true;
    runtime.engine.emit(new SessionEvent.PieceVerified(runtime.infoHashes, piece));
    runtime.protocol.broadcastHave(piece);
    if (picker.isComplete() && runtime.state == TorrentState.DOWNLOADING) {
      finish();
    }
  }

  /**
   * Every wanted piece is verified: creates the wanted empty files, saves resume data, then reports
   * the torrent finished, so that every file exists when its completion is reported.
   */
  private void finish() {
    if (finishing) {
      return;
    }
    finishing = true;
    PiecePicker pickedBy = picker;
    disk.execute(
        () -> {
          Runnable then;
          try {
            store.createEmptyFiles();
            then =
                () -> {
                  finishing = false;
                  if (!closed
                      && picker == pickedBy
                      && picker.isComplete()
                      && runtime.state == TorrentState.DOWNLOADING) {
                    saveResume();
                    runtime.finished();
                  }
                };
          } catch (IOException | RuntimeException e) {
            then =
                () -> {
                  finishing = false;
                  if (!closed && picker == pickedBy) {
                    runtime.fail("disk: " + e.getMessage());
                  }
                };
          }
          runtime.engine.loop().execute(then);
        });
  }

  private void convict(Set<PeerKey> peers) {
    for (PeerKey key : peers) {
      boolean connected = false;
      for (PeerConnection p : List.copyOf(runtime.peers)) {
        if (p.key().equals(key)) {
          runtime.ban(p, "sent data that failed the hash check");
          connected = true;
        }
      }
      if (!connected) {
        runtime.candidates.ban(key, null);
      }
    }
  }

  /** Saves resume data now (on the disk executor), if a resume file is configured. */
  void saveResume() {
    if (resumeFile.isEmpty() || picker == null) {
      return;
    }
    BitSet have = picker.haveSet();
    resumeDirty = false;
    lastResumeSave = runtime.engine.loop().nanoTime();
    disk.execute(
        () -> {
          try {
            store.saveResumeData(resumeFile.get(), have);
          } catch (IOException e) {
            runtime
                .engine
                .loop()
                .execute(() -> runtime.fail("saving resume data: " + e.getMessage()));
          }
        });
  }

  void tick(long now) {
    if (resumeDirty && now - lastResumeSave > RESUME_SAVE_NANOS) {
      saveResume();
    }
  }

  long bytesWanted() {
    return pieceBytes.wanted();
  }

  long bytesDone() {
    return picker == null ? 0 : pieceBytes.wantedIn(picker.haveSet());
  }

  /**
   * Returns the bytes of the torrent we do not have, skipped files included: what a tracker is told
   * is {@code left}, so that a partial copy is never counted as a seed.
   */
  long bytesMissing() {
    return pieceBytes.missingFrom(picker == null ? new BitSet() : picker.haveSet());
  }

  /**
   * Saves resume data and closes the storage, then deletes its files if asked, on the executor. The
   * future completes when that is done, exceptionally if a step failed (every file is tried even
   * when one cannot be deleted).
   */
  CompletableFuture<Void> close(boolean deleteFiles) {
    closed = true;
    releaseAssemblies();
    BitSet have = picker == null ? null : picker.haveSet();
    // Nothing new since the last save (a pause saves): a torrent of 100,000 files is not saved
    // twice in a row.
    boolean dirty = resumeDirty;
    CompletableFuture<Void> done = new CompletableFuture<>();
    disk.execute(
        () -> {
          IOException failure = null;
          try {
            if (have != null && resumeFile.isPresent() && !deleteFiles && dirty) {
              store.saveResumeData(resumeFile.get(), have);
            }
          } catch (IOException e) {
            failure = e;
          }
          try {
            // Closed first: disk work still queued then fails instead of creating files again.
            store.close();
          } catch (IOException e) {
            // Unflushed bytes matter only when the files are kept.
            failure = failure != null || deleteFiles ? failure : e;
          }
          try {
            if (deleteFiles) {
              store.storage().delete();
            }
          } catch (IOException e) {
            failure = failure == null ? e : failure;
          }
          if (failure == null) {
            done.complete(null);
          } else {
            done.completeExceptionally(failure);
          }
        });
    return done;
  }
}
