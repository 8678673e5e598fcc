package dev.bitwright.session.internal;

import dev.bitwright.storage.PieceStore;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.zip.CRC32C;

/**
 * Works out who sent the bad data of pieces that fail their hash check, so that only they are
 * banned (as libtorrent's "smart ban"). It remembers who sent each block of a piece; when the piece
 * fails and several peers sent blocks of it, it keeps a checksum of each block as it was on disk;
 * when the piece later passes, every peer whose block differs from the good data is known to have
 * sent bad data. A piece that one peer sent alone convicts it at once. As a fallback for pieces
 * that never pass, each peer earns trust for pieces that pass and loses more for pieces that fail
 * (libtorrent's trust points), and is banned below {@value #BAN_TRUST}: a peer whose every piece
 * fails goes after four, an honest peer that shared pieces with it does not. Memory is bounded:
 * {@value #MAX_FAILED_PIECES} failed pieces and {@value #MAX_TRUSTED} peers are remembered. Loop
 * thread, except {@link #checksums}, which reads the disk.
 */
final class PieceBlame {
  static final int MAX_FAILED_PIECES = 64;
  static final int MAX_TRUSTED = 4096;
  static final int BAN_TRUST = -7;
  private static final int MAX_TRUST = 8;

  /** Who sent a block, and its checksum as received (filled in once the piece has failed). */
  record Sent(InetAddress sender, int checksum) {}

  private final Map<Integer, Map<Integer, InetAddress>> senders = new HashMap<>();
  private final Map<Integer, Map<Integer, Sent>> failed =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, Map<Integer, Sent>> eldest) {
          return size() > MAX_FAILED_PIECES;
        }
      };
  private final Map<InetAddress, Integer> trust =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<InetAddress, Integer> eldest) {
          return size() > MAX_TRUSTED;
        }
      };

  /** Notes that {@code sender} sent the block at {@code offset} of {@code piece}. */
  void received(int piece, int offset, InetAddress sender) {
    senders.computeIfAbsent(piece, k -> new HashMap<>()).put(offset, sender);
  }

  /** Returns whether {@code piece} failed before: its next check must compute the checksums. */
  boolean failedBefore(int piece) {
    return failed.containsKey(piece);
  }

  /** Computes the CRC-32C of each block of {@code piece} as stored now (disk executor). */
  static Map<Integer, Integer> checksums(PieceStore store, int piece, int pieceSize)
      throws IOException {
    Map<Integer, Integer> result = new HashMap<>();
    ByteBuffer buffer = ByteBuffer.allocate(Block.SIZE);
    CRC32C crc = new CRC32C();
    for (int offset = 0; offset < pieceSize; offset += Block.SIZE) {
      buffer.clear().limit(Math.min(Block.SIZE, pieceSize - offset));
      store.readBlock(piece, offset, buffer);
      crc.reset();
      crc.update(buffer.flip());
      result.put(offset, (int) crc.getValue());
    }
    return result;
  }

  /**
   * {@code piece} failed; {@code checksums} are those of its blocks as received. Returns the peers
   * convicted now: the sender of a piece sent by one peer alone, and peers whose trust ran out.
   */
  Set<InetAddress> pieceFailed(
      int piece, Map<Integer, Integer> checksums, Predicate<InetAddress> banned) {
    Map<Integer, InetAddress> blocks = senders.remove(piece);
    Set<InetAddress> convicted = new LinkedHashSet<>();
    if (blocks == null || blocks.isEmpty()) {
      return convicted;
    }
    Set<InetAddress> sources = new LinkedHashSet<>(blocks.values());
    if (sources.size() == 1) {
      convicted.addAll(sources);
      return convicted;
    }
    Map<Integer, Sent> record = new HashMap<>();
    blocks.forEach(
        (offset, sender) -> {
          Integer checksum = checksums.get(offset);
          if (checksum != null) {
            record.put(offset, new Sent(sender, checksum));
          }
        });
    failed.remove(piece);
    failed.put(piece, record);
    // A banned peer among the senders explains the failure: its blocks still in flight when it
    // was banned would otherwise cost the honest senders their trust.
    if (sources.stream().noneMatch(banned)) {
      for (InetAddress a : sources) {
        if (trust.merge(a, -2, Integer::sum) <= BAN_TRUST) {
          convicted.add(a);
        }
      }
    }
    return convicted;
  }

  /**
   * {@code piece} passed; {@code checksums} are those of its good blocks when it had failed before
   * (empty otherwise). Returns the peers whose earlier blocks of it differ from the good data.
   */
  Set<InetAddress> piecePassed(int piece, Map<Integer, Integer> checksums) {
    Map<Integer, InetAddress> blocks = senders.remove(piece);
    if (blocks != null) {
      for (InetAddress a : new LinkedHashSet<>(blocks.values())) {
        trust.merge(a, 1, (old, one) -> Math.min(MAX_TRUST, old + one));
      }
    }
    Set<InetAddress> convicted = new LinkedHashSet<>();
    Map<Integer, Sent> bad = failed.remove(piece);
    if (bad != null) {
      bad.forEach(
          (offset, sent) -> {
            Integer good = checksums.get(offset);
            if (good != null && good != sent.checksum()) {
              convicted.add(sent.sender());
            }
          });
    }
    return convicted;
  }
}
