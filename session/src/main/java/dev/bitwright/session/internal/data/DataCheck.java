package dev.bitwright.session.internal.data;

import dev.bitwright.storage.FileCheck;
import dev.bitwright.storage.PieceMap;
import dev.bitwright.storage.PieceStore;
import dev.bitwright.storage.ResumeData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * Checking a torrent's files on the disk executor, at start (trusting resume data for unchanged
 * files) or on a recheck (every piece), and the new picker that comes of it. Reports to its {@link
 * TorrentData} on the loop thread.
 */
final class DataCheck {
  private final TorrentData data;
  private final DataHost owner;
  private final DiskAccess access;
  private final Executor disk;
  private final PieceStore store;
  private final PieceMap map;
  private final Optional<Path> resumeFile;
  private boolean checking;

  DataCheck(
      TorrentData data,
      DataHost owner,
      DiskAccess access,
      PieceStore store,
      Optional<Path> resumeFile) {
    this.data = data;
    this.owner = owner;
    this.access = access;
    this.disk = access.disk();
    this.store = store;
    this.map = store.map();
    this.resumeFile = resumeFile;
  }

  /**
   * Checks the files, with resume data first if {@code useResume}, or in seed mode (every piece
   * whose files are long enough is trusted unhashed) if {@code seedMode}; {@code done} (may be
   * null) completes after. Does nothing but complete {@code done} while a check runs.
   */
  void start(boolean useResume, boolean seedMode, CompletableFuture<Void> done) {
    if (checking) {
      if (done != null) {
        done.complete(null);
      }
      return;
    }
    checking = true;
    owner.checking();
    if (seedMode) {
      disk.execute(() -> assumePieces(done));
      return;
    }
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
          hashPieces(trusted, toCheck, done);
        });
  }

  /**
   * Seed mode: trusts every piece whose files hold all its bytes, hashing nothing (disk executor:
   * one look at each file's size).
   */
  private void assumePieces(CompletableFuture<Void> done) {
    BitSet assumed;
    Throwable failure = null;
    try {
      assumed = store.piecesWithStoredBytes(map.allPieces());
    } catch (IOException e) {
      assumed = null;
      failure = e;
    }
    BitSet result = assumed;
    Throwable error = failure;
    access
        .loop()
        .execute(
            () -> {
              checking = false;
              if (error != null) {
                data.checkFailed(error);
              } else {
                data.checkedInSeedMode(picker(result), result);
              }
              if (done != null) {
                done.complete(null);
              }
            });
  }

  /** Hashes the pieces of {@code toCheck} that hold stored bytes (disk executor). */
  private void hashPieces(BitSet trusted, BitSet toCheck, CompletableFuture<Void> done) {
    BitSet stored;
    try {
      stored = store.piecesWithStoredBytes(toCheck);
    } catch (IOException e) {
      stored = toCheck; // the files' sizes are unknown: read every piece to find out
    }
    FileCheck.start(store, stored, disk, 2, (n, total, bytes) -> {})
        .result()
        .whenComplete(
            (valid, error) ->
                access
                    .loop()
                    .execute(
                        () -> {
                          checkDone(trusted, valid, error);
                          if (done != null) {
                            done.complete(null);
                          }
                        }));
  }

  private void checkDone(BitSet trusted, BitSet valid, Throwable error) {
    checking = false;
    if (error != null) {
      Throwable cause =
          error instanceof CompletionException && error.getCause() != null
              ? error.getCause()
              : error;
      data.checkFailed(cause);
      return;
    }
    BitSet have = (BitSet) trusted.clone();
    have.or(valid);
    data.checked(picker(have));
  }

  /** Returns a picker for a torrent with pieces {@code have}, keeping the deadlines set so far. */
  private PiecePicker picker(BitSet have) {
    // A recheck replaces the picker: the deadlines of the old one still hold.
    PiecePicker old = data.picker();
    Map<Integer, Long> deadlines = new HashMap<>(old == null ? Map.of() : old.deadlines());
    deadlines.putAll(owner.takePendingDeadlines());
    PiecePicker picker = new PiecePicker(map, have, access.random());
    picker.setSequential(owner.sequential());
    deadlines.forEach(
        (piece, at) -> {
          if (piece < map.pieceCount()) {
            picker.setDeadline(piece, at);
          }
        });
    return picker;
  }
}
