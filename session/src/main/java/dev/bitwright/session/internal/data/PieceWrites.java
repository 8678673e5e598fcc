package dev.bitwright.session.internal.data;

import dev.bitwright.session.internal.jfr.DiskWriteEvent;
import dev.bitwright.session.internal.peer.Block;
import dev.bitwright.session.internal.peer.PeerKey;
import dev.bitwright.storage.PieceMap;
import dev.bitwright.storage.PieceStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.BitSet;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * The way of received blocks to the disk: pieces assembled in memory ({@link PieceBuffers}) and
 * hashed there before they are written in one call, other blocks written one by one ({@link
 * DiskWriter}) and their piece read back to be hashed once all are on the disk. Reports the outcome
 * of each piece to its {@link TorrentData}. Loop thread, except the tasks it sends to the disk
 * executor.
 */
final class PieceWrites {
  private final TorrentData data;
  private final DiskAccess access;
  private final Executor disk;
  private final PieceStore store;
  private final PieceMap map;
  private final PieceBlame<PeerKey> blame;
  // Blocks of each piece queued for the disk, by piece: touched for every block, so not boxed.
  private final IntIntMap pendingWrites = new IntIntMap();
  // Pieces assembled in memory from their first block (PieceBuffers), by index: looked up for every
  // block, so not boxed.
  private final IntObjectMap<ByteBuffer> assembling = new IntObjectMap<>();

  PieceWrites(TorrentData data, DiskAccess access, PieceStore store, PieceBlame<PeerKey> blame) {
    this.data = data;
    this.access = access;
    this.disk = access.disk();
    this.store = store;
    this.map = store.map();
    this.blame = blame;
  }

  /** See {@link TorrentData#write}. */
  void write(PeerKey source, Block block, ByteBuffer bytes) {
    int piece = block.piece();
    blame.received(piece, block.offset(), source);
    PiecePicker picker = data.picker();
    ByteBuffer assembly = assembling.get(piece);
    if (assembly == null && picker.receivedCount(piece) == 1) {
      assembly = access.pieceBuffers().take(map.pieceSize(piece));
      if (assembly != null) {
        assembling.put(piece, assembly);
      }
    }
    if (assembly == null) {
      queueWrite(block, bytes);
      return;
    }
    assembly.put(block.offset(), bytes, bytes.position(), bytes.remaining());
    bytes.position(bytes.limit());
    if (picker.allBlocksReceived(piece)) {
      assembling.remove(piece);
      verifyAssembled(piece, assembly);
    }
  }

  /** Copies a block and writes it on the disk executor. */
  private void queueWrite(Block block, ByteBuffer bytes) {
    ByteBuffer copy = access.blockBuffers().take(bytes.remaining());
    copy.put(bytes).flip();
    pendingWrites.add(block.piece(), 1);
    access.diskQueued(block.length());
    int attemptNow = data.attempt();
    access
        .diskWriter()
        .write(
            new DiskWriter.Job(
                store,
                block,
                copy,
                access.loop().nanoTime(),
                (job, failure) -> written(job, failure, attemptNow)));
  }

  /** See {@link TorrentData#spillAssemblies}. */
  void spillAll() {
    for (int piece : assembling.keys()) {
      spill(piece);
    }
  }

  private void spill(int piece) {
    ByteBuffer assembly = assembling.remove(piece);
    BitSet blocks = data.picker().receivedBlocks(piece);
    for (int b = blocks.nextSetBit(0); b >= 0; b = blocks.nextSetBit(b + 1)) {
      int offset = b * Block.SIZE;
      int length = Math.min(Block.SIZE, assembly.capacity() - offset);
      queueWrite(new Block(piece, offset, length), assembly.slice(offset, length));
    }
    access.pieceBuffers().give(assembly);
  }

  /** See {@link TorrentData#abandonAssemblies}. */
  void abandonAll() {
    for (int piece : assembling.keys()) {
      abandon(piece);
    }
  }

  /**
   * Abandons the pieces held in memory that are no longer wanted. Not spilled: the storage may
   * already drop bytes of a skipped file. Fetched again if wanted again.
   */
  void abandonUnwanted() {
    PiecePicker picker = data.picker();
    for (int piece : assembling.keys()) {
      if (!picker.isWanted(piece)) {
        abandon(piece);
      }
    }
  }

  private void abandon(int piece) {
    access.pieceBuffers().give(assembling.remove(piece));
    data.picker().forget(piece);
    blame.forget(piece);
  }

  /** Gives the buffers of the pieces held in memory back, forgetting their blocks. */
  void releaseAll() {
    for (int piece : assembling.keys()) {
      access.pieceBuffers().give(assembling.remove(piece));
    }
  }

  /** Hashes a complete assembled piece and writes it if it passes, on the disk executor. */
  private void verifyAssembled(int piece, ByteBuffer assembly) {
    boolean failedBefore = blame.failedBefore(piece);
    PiecePicker pickedBy = data.picker();
    int attemptNow = data.attempt();
    int size = assembly.capacity();
    access.diskQueued(size);
    long queuedAt = access.loop().nanoTime();
    disk.execute(
        () -> {
          DiskWriteEvent event = DiskWriteEvent.start();
          long started = access.loop().nanoTime();
          long queueTime = started - queuedAt;
          Runnable then;
          try {
            boolean ok = store.writeVerifiedPiece(piece, assembly.duplicate().clear());
            if (ok) { // a piece that fails is not written
              access
                  .diskWriter()
                  .counters()
                  .written(size, access.loop().nanoTime() - started, queueTime);
              event.record(store.torrent().infoHashes(), piece, 0, size, true, queueTime);
            }
            Map<Integer, Integer> checksums =
                ok && !failedBefore ? Map.of() : PieceBlame.checksums(assembly.duplicate().clear());
            then = () -> data.verified(pickedBy, piece, ok, checksums);
          } catch (IOException | RuntimeException e) {
            then =
                () ->
                    data.diskFailed(
                        pickedBy, attemptNow, piece, "disk write failed: " + e.getMessage());
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
    access.diskDone(job.block().length());
    int piece = job.block().piece();
    // Counted down whatever became of the write: a count left above 0 would keep the piece from
    // being verified ever again, when it is fetched anew block by block.
    boolean lastOfPiece = writeDone(piece);
    if (failure != null || data.isClosed()) {
      data.diskFailed(
          data.picker(),
          attemptThen,
          piece,
          failure == null ? null : "disk write failed: " + failure.getMessage());
      return;
    }
    data.fileChanged();
    if (lastOfPiece && data.picker().allBlocksReceived(piece)) {
      verifyWritten(piece);
    }
  }

  /** A queued write of {@code piece} is over; returns whether it was the piece's last. */
  private boolean writeDone(int piece) {
    if (pendingWrites.add(piece, -1) != 0) {
      return false;
    }
    pendingWrites.remove(piece, 0);
    return true;
  }

  /** Reads a piece whose blocks are all on the disk back and hashes it, on the disk executor. */
  private void verifyWritten(int piece) {
    // Checksums of the blocks: of the bad data when the piece fails, to compare with the good data
    // once it passes, so that exactly the peers that sent bad blocks are banned.
    boolean failedBefore = blame.failedBefore(piece);
    PiecePicker pickedBy = data.picker();
    int attemptNow = data.attempt();
    int size = map.pieceSize(piece);
    disk.execute(
        () -> {
          try {
            boolean ok = store.verifyPiece(piece);
            Map<Integer, Integer> checksums =
                ok && !failedBefore ? Map.of() : PieceBlame.checksums(store, piece, size);
            access.loop().execute(() -> data.verified(pickedBy, piece, ok, checksums));
          } catch (IOException | RuntimeException e) {
            access
                .loop()
                .execute(
                    () ->
                        data.diskFailed(
                            pickedBy, attemptNow, piece, "disk read failed: " + e.getMessage()));
          }
        });
  }
}
