package dev.bitwright.session.internal.data;

import dev.bitwright.metainfo.MagnetLink;
import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentVersion;
import dev.bitwright.session.AddTorrent;
import dev.bitwright.session.internal.peer.Block;
import dev.bitwright.session.internal.peer.PeerKey;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * A torrent's data: the piece store, the picker, checking at start (trusting resume data for
 * unchanged files), block writes and piece verification on the disk executor, hash-failure
 * accounting ({@link PieceBlame}: only the peers that sent bad blocks are banned), file priorities
 * and resume data. Loop thread, except the tasks it sends to the disk executor.
 */
public final class TorrentData {
  private static final long RESUME_SAVE_NANOS = 30_000_000_000L;

  private final DataHost owner;
  private final DiskAccess access;
  private final Torrent torrent;
  private final PieceStore store;
  private final PieceMap map;
  private final byte[] infoBytes;
  private PiecePicker picker;
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

  /**
   * Opens the data of {@code torrent} as {@code request} places it.
   *
   * @throws IOException if the storage cannot be opened
   */
  public TorrentData(DataHost owner, DiskAccess access, AddTorrent request, Torrent torrent)
      throws IOException {
    this.owner = owner;
    this.access = access;
    this.torrent = torrent;
    this.disk = access.disk();
    this.store = new PieceStore(torrent, request.storage().open(request.downloadFolder(), torrent));
    this.map = store.map();
    this.infoBytes = torrent.infoBytes();
    this.resumeFile = request.resumeFile();
    this.priorities = initialPriorities(request, torrent.files().size());
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

  public boolean checked() {
    return checked;
  }

  /** Returns the picker; null until the first check is done. */
  public PiecePicker picker() {
    return picker;
  }

  public PieceStore store() {
    return store;
  }

  public PieceMap map() {
    return map;
  }

  public int pieceCount() {
    return map.pieceCount();
  }

  /** Returns the info dictionary's bytes, as served to peers (ut_metadata). */
  public byte[] infoBytes() {
    return infoBytes;
  }

  /** Returns the torrent's trackers, by tier. */
  public List<List<String>> trackers() {
    return torrent.trackers();
  }

  public boolean isPrivate() {
    return torrent.isPrivate();
  }

  public TorrentVersion version() {
    return torrent.version();
  }

  /** Returns the torrent's metadata. */
  public Torrent torrent() {
    return torrent;
  }

  /** Checks existing data on the disk executor: resume data first, then a recheck of the rest. */
  public void check() {
    check(true, null);
  }

  /** Checks every piece, ignoring resume data; {@code done} completes after. */
  public void recheck(CompletableFuture<Void> done) {
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
    owner.checking();
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
                      access
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
      owner.fail("checking files failed: " + cause.getMessage());
      return;
    }
    BitSet have = (BitSet) trusted.clone();
    have.or(valid);
    // A recheck replaces the picker: the deadlines of the old one still hold.
    Map<Integer, Long> deadlines = new HashMap<>(picker == null ? Map.of() : picker.deadlines());
    deadlines.putAll(owner.takePendingDeadlines());
    picker = new PiecePicker(map, have, access.random());
    picker.setSequential(owner.sequential());
    deadlines.forEach(
        (piece, at) -> {
          if (piece < map.pieceCount()) {
            picker.setDeadline(piece, at);
          }
        });
    applyPriorities();
    checked = true;
    resumeDirty = true;
    owner.checked();
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

  public void setPriority(int file, FilePriority priority) {
    priorities[file] = priority;
    pieceBytes.prioritiesChanged(priorities);
    disk.execute(
        () -> {
          try {
            store.setPriority(file, priority);
          } catch (IOException e) {
            access.loop().execute(() -> owner.fail("disk: " + e.getMessage()));
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
      if (picker.isComplete() && owner.isDownloading()) {
        finish();
      } else if (!picker.isComplete()) {
        owner.wantsPiecesAgain();
      }
    }
  }

  public boolean wanted(int piece) {
    return picker != null && !picker.have(piece) && picker.isWanted(piece);
  }

  /**
   * Takes a received block. A piece whose first block finds a free {@link PieceBuffers} buffer is
   * assembled there and, once complete, hashed in memory and written in one call; other blocks are
   * copied and written on their own, and their piece is read back to be hashed.
   */
  public void write(PeerKey source, Block block, ByteBuffer data) {
    int piece = block.piece();
    blame.received(piece, block.offset(), source);
    ByteBuffer assembly = assembling.get(piece);
    if (assembly == null && picker.receivedCount(piece) == 1) {
      assembly = access.pieceBuffers().take(map.pieceSize(piece));
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
    ByteBuffer copy = access.blockBuffers().take(data.remaining());
    copy.put(data).flip();
    pendingWrites.add(block.piece(), 1);
    access.diskQueued(block.length());
    int attemptNow = attempt;
    access
        .diskWriter()
        .write(
            new DiskWriter.Job(
                store, block, copy, (job, failure) -> written(job, failure, attemptNow)));
  }

  /**
   * Sends the blocks assembled so far of every piece to the disk one by one, and frees their
   * buffers: the torrent pauses, and its pieces will not complete soon.
   */
  public void spillAssemblies() {
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
    access.pieceBuffers().give(assembly);
  }

  /** Forgets the blocks of every piece held in memory: they will be downloaded again. */
  public void abandonAssemblies() {
    for (int piece : assembling.keys()) {
      abandon(piece);
    }
  }

  private void abandon(int piece) {
    access.pieceBuffers().give(assembling.remove(piece));
    picker.forget(piece);
    blame.forget(piece);
  }

  private void releaseAssemblies() {
    for (int piece : assembling.keys()) {
      access.pieceBuffers().give(assembling.remove(piece));
    }
  }

  /** Hashes a complete assembled piece and writes it if it passes, on the disk executor. */
  private void verifyAssembled(int piece, ByteBuffer assembly) {
    boolean failedBefore = blame.failedBefore(piece);
    PiecePicker pickedBy = picker;
    int attemptNow = attempt;
    int size = assembly.capacity();
    access.diskQueued(size);
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
          access
              .loop()
              .execute(
                  () -> {
                    releaseAssembly(assembly);
                    next.run();
                  });
        });
  }

  private void releaseAssembly(ByteBuffer assembly) {
    access.diskDone(assembly.capacity());
    access.pieceBuffers().give(assembly);
  }

  private void written(DiskWriter.Job job, IOException failure, int attemptThen) {
    access.blockBuffers().give(job.data());
    if (failure != null || closed) {
      access.diskDone(job.block().length());
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
    access.diskDone(block.length());
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
            access.loop().execute(() -> verified(pickedBy, piece, ok, checksums));
          } catch (IOException | RuntimeException e) {
            access
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
      owner.fail(message);
    }
  }

  /** The torrent failed: disk work still under way belongs to the failed attempt. */
  public void attemptFailed() {
    attempt++;
  }

  private void verified(
      PiecePicker pickedBy, int piece, boolean ok, Map<Integer, Integer> checksums) {
    if (closed || picker != pickedBy) {
      return; // removed or rechecked since: the new picker decides about this piece afresh
    }
    if (!ok) {
      picker.pieceFailed(piece);
      owner.pieceFailed(piece);
      owner.convict(blame.pieceFailed(piece, checksums, owner::isBanned));
      return;
    }
    if (!picker.isWanted(piece)) {
      // Its files were skipped while it was checked: the storage may not have kept its bytes.
      picker.forget(piece);
      blame.forget(piece);
      return;
    }
    owner.convict(blame.piecePassed(piece, checksums));
    picker.pieceVerified(piece);
    resumeDirty = true;
    owner.pieceVerified(piece);
    if (picker.isComplete() && owner.isDownloading()) {
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
                      && owner.isDownloading()) {
                    saveResume();
                    owner.finished();
                  }
                };
          } catch (IOException | RuntimeException e) {
            then =
                () -> {
                  finishing = false;
                  if (!closed && picker == pickedBy) {
                    owner.fail("disk: " + e.getMessage());
                  }
                };
          }
          access.loop().execute(then);
        });
  }

  /** Saves resume data now (on the disk executor), if a resume file is configured. */
  public void saveResume() {
    if (resumeFile.isEmpty() || picker == null) {
      return;
    }
    BitSet have = picker.haveSet();
    resumeDirty = false;
    lastResumeSave = access.loop().nanoTime();
    disk.execute(
        () -> {
          try {
            store.saveResumeData(resumeFile.get(), have);
          } catch (IOException e) {
            access.loop().execute(() -> owner.fail("saving resume data: " + e.getMessage()));
          }
        });
  }

  public void tick(long now) {
    if (resumeDirty && now - lastResumeSave > RESUME_SAVE_NANOS) {
      saveResume();
    }
  }

  public long bytesWanted() {
    return pieceBytes.wanted();
  }

  public long bytesDone() {
    return picker == null ? 0 : pieceBytes.wantedIn(picker.haveSet());
  }

  /**
   * Returns the bytes of the torrent we do not have, skipped files included: what a tracker is told
   * is {@code left}, so that a partial copy is never counted as a seed.
   */
  public long bytesMissing() {
    return pieceBytes.missingFrom(picker == null ? new BitSet() : picker.haveSet());
  }

  /**
   * Saves resume data and closes the storage, then deletes its files if asked, on the executor. The
   * future completes when that is done, exceptionally if a step failed (every file is tried even
   * when one cannot be deleted).
   */
  public CompletableFuture<Void> close(boolean deleteFiles) {
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
