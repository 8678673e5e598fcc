package dev.bitwright.session.internal.data;

import dev.bitwright.session.internal.peer.Block;
import dev.bitwright.session.internal.peer.PeerKey;
import dev.bitwright.storage.PieceStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.zip.CRC32C;

/**
 * Works out who sent the bad data of pieces that fail their hash check, so that only they are
 * banned (as libtorrent's "smart ban"). Senders are told apart by {@code K} ({@link PeerKey} in the
 * session: address and peer id, so that peers behind one address are judged apart). It remembers
 * who sent each block of a piece; when the piece fails and several peers sent blocks of it, it
 * keeps a checksum of each block as it was on disk; when the piece later passes, every peer whose
 * block differs from the good data is known to have sent bad data. A piece that one peer sent alone
 * convicts it at once. As a fallback for pieces that never pass, each peer earns trust for pieces
 * that pass and loses more for pieces that fail (libtorrent's trust points), and is banned below
 * {@value #BAN_TRUST}: a peer whose every piece fails goes after four, an honest peer that shared
 * pieces with it does not; when several senders of one piece run out of trust together, only the
 * checksums decide. Memory is bounded: {@value #MAX_FAILED_PIECES} failed pieces and {@value
 * #MAX_TRUSTED} peers are remembered. Loop thread, except the static {@code checksums} methods.
 *
 * <p>Noting a sender is done for every block received, so it neither boxes nor allocates: each
 * piece being received has one array of senders by block index, kept in an {@link IntObjectMap}.
 */
final class PieceBlame<K> {
  static final int MAX_FAILED_PIECES = 64;
  static final int MAX_TRUSTED = 4096;
  static final int BAN_TRUST = -7;
  static final int MAX_SENDS_PER_BLOCK = 4;
  private static final int MAX_TRUST = 8;
  // Blocks in the first array of senders of a piece (a 256 KiB piece); it doubles as needed.
  private static final int FIRST_ROW = 16;

  /** Who sent a block, and its checksum as received (filled in once the piece has failed). */
  record Sent<K>(K sender, int checksum) {}

  // The senders of the blocks of each piece being received, by block index (null: not received).
  private final IntObjectMap<Object[]> senders = new IntObjectMap<>();
  private final Map<Integer, Map<Integer, List<Sent<K>>>> failed =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(
            Map.Entry<Integer, Map<Integer, List<Sent<K>>>> eldest) {
          return size() > MAX_FAILED_PIECES;
        }
      };
  private final Map<K, Integer> trust =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<K, Integer> eldest) {
          return size() > MAX_TRUSTED;
        }
      };

  /**
   * Notes that {@code sender} sent the block at {@code offset} of {@code piece} (a multiple of
   * {@link Block#SIZE}, as every block requested).
   */
  void received(int piece, int offset, K sender) {
    int block = offset / Block.SIZE;
    Object[] row = senders.get(piece);
    if (row == null || block >= row.length) {
      int length = Math.max(FIRST_ROW, Integer.highestOneBit(block) * 2);
      row = row == null ? new Object[length] : Arrays.copyOf(row, length);
      senders.put(piece, row);
    }
    row[block] = sender;
  }

  /** Returns the sender of block {@code block} in {@code row}, or null if it was not received. */
  @SuppressWarnings("unchecked") // received stores only Ks
  private K sender(Object[] row, int block) {
    return (K) row[block];
  }

  /** Returns the distinct senders in {@code row}, in block order. */
  private Set<K> sources(Object[] row) {
    Set<K> sources = new LinkedHashSet<>();
    for (int b = 0; b < row.length; b++) {
      if (row[b] != null) {
        sources.add(sender(row, b));
      }
    }
    return sources;
  }

  /** Forgets who sent the blocks of {@code piece} received so far (they were dropped). */
  void forget(int piece) {
    senders.remove(piece);
  }

  /** Returns whether {@code piece} failed before: its next check must compute the checksums. */
  boolean failedBefore(int piece) {
    return failed.containsKey(piece);
  }

  /** Computes the CRC-32C of each block of a piece held whole in {@code piece} (any thread). */
  static Map<Integer, Integer> checksums(ByteBuffer piece) {
    Map<Integer, Integer> result = new HashMap<>();
    CRC32C crc = new CRC32C();
    for (int offset = 0; offset < piece.remaining(); offset += Block.SIZE) {
      crc.reset();
      crc.update(
          piece.slice(piece.position() + offset, Math.min(Block.SIZE, piece.remaining() - offset)));
      result.put(offset, (int) crc.getValue());
    }
    return result;
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
  Set<K> pieceFailed(int piece, Map<Integer, Integer> checksums, Predicate<K> banned) {
    Object[] row = senders.remove(piece);
    Set<K> convicted = new LinkedHashSet<>();
    if (row == null) {
      return convicted;
    }
    Set<K> sources = sources(row);
    if (sources.size() == 1) {
      convicted.addAll(sources);
      return convicted;
    }
    // Every failure of the piece is kept, block by block (up to MAX_SENDS_PER_BLOCK): a piece may
    // fail because of one peer, then again because of another, and both must be found.
    Map<Integer, List<Sent<K>>> record = failed.remove(piece);
    if (record == null) {
      record = new HashMap<>();
    }
    for (int b = 0; b < row.length; b++) {
      if (row[b] == null) {
        continue;
      }
      int offset = b * Block.SIZE;
      Integer checksum = checksums.get(offset);
      List<Sent<K>> sends = record.computeIfAbsent(offset, k -> new ArrayList<>());
      if (checksum != null && sends.size() < MAX_SENDS_PER_BLOCK) {
        sends.add(new Sent<>(sender(row, b), checksum));
      }
    }
    failed.put(piece, record);
    // A banned peer among the senders explains the failure: its blocks still in flight when it
    // was banned would otherwise cost the honest senders their trust. When several senders run
    // out of trust at once, the checksums will tell which once the piece passes.
    if (sources.stream().noneMatch(banned)) {
      List<K> outOfTrust = new ArrayList<>();
      for (K a : sources) {
        if (trust.merge(a, -2, Integer::sum) <= BAN_TRUST) {
          outOfTrust.add(a);
        }
      }
      if (outOfTrust.size() == 1) {
        convicted.addAll(outOfTrust);
      }
    }
    return convicted;
  }

  /**
   * {@code piece} passed; {@code checksums} are those of its good blocks when it had failed before
   * (empty otherwise). Returns the peers whose earlier blocks of it differ from the good data.
   */
  Set<K> piecePassed(int piece, Map<Integer, Integer> checksums) {
    Object[] row = senders.remove(piece);
    if (row != null) {
      for (K a : sources(row)) {
        trust.merge(a, 1, (old, one) -> Math.min(MAX_TRUST, old + one));
      }
    }
    Set<K> convicted = new LinkedHashSet<>();
    Map<Integer, List<Sent<K>>> bad = failed.remove(piece);
    if (bad != null) {
      bad.forEach(
          (offset, sends) -> {
            Integer good = checksums.get(offset);
            for (Sent<K> sent : sends) {
              if (good != null && good != sent.checksum()) {
                convicted.add(sent.sender());
              }
            }
          });
    }
    return convicted;
  }
}
