package dev.bitwright.wire;

import static com.google.common.base.Preconditions.checkArgument;

import java.net.Inet4Address;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/** The canonical allowed fast set of BEP 6: pieces a peer may fetch while choked. */
public final class AllowedFastSet {
  private AllowedFastSet() {}

  /**
   * {@return the first {@code k} pieces of the allowed fast set of the peer at {@code address} for
   * a torrent of {@code pieceCount} pieces, in generation order} Fewer when the torrent has fewer
   * pieces.
   *
   * @param k how many pieces to generate; BEP 6 suggests 10
   * @param pieceCount the torrent's number of pieces
   * @param infoHash the 20-byte info-hash
   * @param address the peer's IPv4 address; only its first three bytes count
   * @throws IllegalArgumentException if {@code k} is negative or the info-hash is not 20 bytes
   */
  public static List<Integer> generate(
      int k, int pieceCount, byte[] infoHash, Inet4Address address) {
    checkArgument(k >= 0, "negative k");
    checkArgument(infoHash.length == 20, "a 20-byte info-hash");
    int wanted = Math.min(k, Math.max(pieceCount, 0));
    List<Integer> set = new ArrayList<>(wanted);
    if (wanted == 0) {
      return set;
    }
    byte[] ip = address.getAddress();
    byte[] x = ByteBuffer.allocate(24).put(ip, 0, 3).put((byte) 0).put(infoHash).array();
    MessageDigest sha1 = sha1();
    while (set.size() < wanted) {
      x = sha1.digest(x);
      for (int i = 0; i < 5 && set.size() < wanted; i++) {
        long y = ByteBuffer.wrap(x, i * 4, 4).getInt() & 0xffffffffL;
        int index = (int) (y % pieceCount);
        if (!set.contains(index)) {
          set.add(index);
        }
      }
    }
    return set;
  }

  private static MessageDigest sha1() {
    try {
      return MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is required of every Java platform", e);
    }
  }
}
