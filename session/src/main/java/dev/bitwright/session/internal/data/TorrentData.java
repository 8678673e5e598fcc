package dev.bitwright.session.internal.data;

import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentVersion;
import dev.bitwright.session.AddTorrent;
import dev.bitwright.session.FailureReason;
import dev.bitwright.session.internal.peer.Block;
import dev.bitwright.session.internal.peer.PeerKey;
import dev.bitwright.storage.FilePriority;
import dev.bitwright.storage.PieceMap;
import dev.bitwright.storage.PieceStore;
import dev.bitwright.storage.Storage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * A torrent's data: the piece store, the picker, checking at start ({@link DataCheck}: trusting
 * resume data for unchanged files), block writes ({@link PieceWrites}) and what piece verification
 * on the disk executor finds, hash-failure accounting ({@link PieceBlame}: only the peers that sent
 * bad blocks are banned), file priorities ({@link FilePriorities}), finishing and resume data. Loop
 * thread, except the tasks it sends to the disk executor.
 */
public final class TorrentData {
  /** Hears whether a piece proved good before its upload; called on the loop thread. */
  public interface Verdict {
    /** The piece proved good ({@code true}) or did not, or the request was refused. */
    void verified(boolean good);
  }

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
  private final FilePriorities priorities;
  private final PieceBlame<PeerKey> blame = new PieceBlame<>();
  private final DataCheck check;
  private final PieceWrites writes;
  private boolean checked;
  // Asked for by the request: the first check trusts complete files without hashing them; off
  // for good once seed mode is left.
  private boolean seedMode;
  // In seed mode: the pieces trusted and not yet verified (null once out of seed mode).
  private LazyVerification lazy;
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
    this.store = new PieceStore(torrent, openStorage(request, torrent));
    this.map = store.map();
    this.infoBytes = torrent.infoBytes();
    this.resumeFile = request.resumeFile();
    this.priorities = new FilePriorities(request, torrent.files().size(), store);
    this.check = new DataCheck(this, owner, access, store, resumeFile);
    this.seedMode = request.seedMode();
    this.writes = new PieceWrites(this, access, store, blame);
  }

  private static Storage openStorage(AddTorrent request, Torrent torrent) throws IOException {
    return request.storage().open(request.layout(), torrent);
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
    check.start(true, seedMode, null);
  }

  /** Checks every piece, ignoring resume data; {@code done} completes after. */
  public void recheck(CompletableFuture<Void> done) {
    checked = false;
    leaveSeedMode();
    check.start(false, false, done);
  }

  /** The check failed on {@code cause}: the torrent fails. */
  void checkFailed(Throwable cause) {
    // As after a check that passes: the blocks held in memory are dropped.
    writes.releaseAll();
    owner.fail(FailureReason.CHECK_FAILED, "checking files failed: " + cause.getMessage(), cause);
  }

  /**
   * The check of seed mode is over: {@code newPicker} has every piece whose files are complete,
   * {@code assumed}, which are verified one at a time before their first upload.
   */
  void checkedInSeedMode(PiecePicker newPicker, BitSet assumed) {
    lazy = new LazyVerification(assumed, access, store, this::seedModeFailed);
    checked(newPicker);
  }

  /**
   * Returns whether {@code piece} must be verified before it is uploaded: seed mode trusted it
   * without hashing it.
   */
  public boolean mustVerifyBeforeUpload(int piece) {
    return lazy != null && lazy.isUnverified(piece);
  }

  /**
   * Verifies a piece seed mode trusted (on the disk executor) and tells {@code then}, on the loop,
   * whether it may be uploaded. A piece that fails takes the torrent out of seed mode: every piece
   * is checked again.
   */
  public void verifyBeforeUpload(int piece, Verdict then) {
    if (lazy == null) {
      then.verified(picker != null && picker.have(piece));
      return;
    }
    lazy.verify(piece, then);
  }

  /** Returns how many pieces seed mode trusts and has not verified yet; 0 out of seed mode. */
  public int piecesAssumed() {
    return lazy == null ? 0 : lazy.remaining();
  }

  private void seedModeFailed(int piece) {
    leaveSeedMode();
    owner.pieceFailed(piece);
    owner.seedModeFailed(piece);
  }

  private void leaveSeedMode() {
    seedMode = false;
    LazyVerification was = lazy;
    lazy = null;
    if (was != null) {
      was.abandon();
    }
  }

  /** Returns the pieces resume data may record: those we have, but none seed mode only trusts. */
  private BitSet verifiedPieces() {
    BitSet have = picker.haveSet();
    return lazy == null ? have : lazy.verifiedOf(have);
  }

  /** The check is over: {@code newPicker} knows what we have and starts every piece afresh. */
  void checked(PiecePicker newPicker) {
    // The new picker starts every piece afresh: blocks held in memory are dropped with the old one.
    writes.releaseAll();
    picker = newPicker;
    priorities.applyTo(picker);
    checked = true;
    resumeDirty = true;
    owner.checked();
  }

  public void setPriority(int file, FilePriority priority) {
    priorities.set(file, priority);
    disk.execute(
        () -> {
          try {
            store.setPriority(file, priority);
          } catch (IOException e) {
            access
                .loop()
                .execute(() -> owner.fail(FailureReason.DISK_ERROR, "disk: " + e.getMessage(), e));
          }
        });
    if (picker != null) {
      priorities.applyTo(picker);
      writes.abandonUnwanted();
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
    writes.write(source, block, data);
  }

  /**
   * Sends the blocks assembled so far of every piece to the disk one by one, and frees their
   * buffers: the torrent pauses, and its pieces will not complete soon.
   */
  public void spillAssemblies() {
    writes.spillAll();
  }

  /** Forgets the blocks of every piece held in memory: they will be downloaded again. */
  public void abandonAssemblies() {
    writes.abandonAll();
  }

  /** A block was written: the file changed, its size and time in the resume data are old. */
  void fileChanged() {
    resumeDirty = true;
  }

  /** Returns the number of the current attempt, which the torrent's failures count. */
  int attempt() {
    return attempt;
  }

  /** Returns whether the data was closed (the torrent removed). */
  boolean isClosed() {
    return closed;
  }

  /**
   * Disk work on {@code piece} for the picker {@code pickedBy}, started in attempt {@code
   * attemptThen}, failed with {@code message} (or, if null, was dropped): the piece is fetched
   * again later, and the torrent fails, unless it was removed or rechecked since, or the failure
   * belongs to an attempt that failed already (a resume must not fail on what was still queued).
   */
  void diskFailed(PiecePicker pickedBy, int attemptThen, int piece, String message) {
    if (closed || picker != pickedBy) {
      return;
    }
    // The piece's blocks are not on the disk: fetched again when the torrent resumes.
    picker.forget(piece);
    blame.forget(piece);
    if (message != null && attemptThen == attempt) {
      owner.fail(FailureReason.DISK_ERROR, message, null);
    }
  }

  /** The torrent failed: disk work still under way belongs to the failed attempt. */
  public void attemptFailed() {
    attempt++;
  }

  /** Disk work on {@code piece} for the picker {@code pickedBy} hashed it: {@code ok} or not. */
  void verified(PiecePicker pickedBy, int piece, boolean ok, Map<Integer, Integer> checksums) {
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
                    owner.fail(FailureReason.DISK_ERROR, "disk: " + e.getMessage(), e);
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
    BitSet have = verifiedPieces();
    resumeDirty = false;
    lastResumeSave = access.loop().nanoTime();
    disk.execute(
        () -> {
          try {
            store.saveResumeData(resumeFile.get(), have);
          } catch (IOException e) {
            access
                .loop()
                .execute(
                    () ->
                        owner.fail(
                            FailureReason.RESUME_SAVE_FAILED,
                            "saving resume data: " + e.getMessage(),
                            e));
          }
        });
  }

  public void tick(long now) {
    if (resumeDirty && now - lastResumeSave > RESUME_SAVE_NANOS) {
      saveResume();
    }
  }

  public long bytesWanted() {
    return priorities.bytesWanted();
  }

  public long bytesDone() {
    return picker == null ? 0 : priorities.bytesWantedIn(picker.haveSet());
  }

  /**
   * Returns the bytes of the torrent we do not have, skipped files included: what a tracker is told
   * is {@code left}, so that a partial copy is never counted as a seed.
   */
  public long bytesMissing() {
    return priorities.bytesMissingFrom(picker == null ? new BitSet() : picker.haveSet());
  }

  /**
   * Saves resume data and closes the storage, then deletes its files if asked, on the executor. The
   * future completes when that is done, exceptionally if a step failed (every file is tried even
   * when one cannot be deleted).
   */
  public CompletableFuture<Void> close(boolean deleteFiles) {
    closed = true;
    leaveSeedMode();
    writes.releaseAll();
    BitSet have = picker == null ? null : verifiedPieces();
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
