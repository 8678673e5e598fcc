package dev.bitwright.tracker.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Compact peer lists (BEP 23, BEP 7): 4- or 16-byte addresses, each followed by a 2-byte port. */
public final class CompactPeers {
  private CompactPeers() {}

  /**
   * Reads {@code bytes} as a list of {@code ipLength}-byte addresses with ports; a trailing partial
   * entry is ignored. Entries with port 0 are skipped (no one listens there).
   */
  public static List<InetSocketAddress> parse(ByteBuffer bytes, int ipLength) {
    int stride = ipLength + 2;
    List<InetSocketAddress> peers = new ArrayList<>(bytes.remaining() / stride);
    byte[] ip = new byte[ipLength];
    while (bytes.remaining() >= stride) {
      bytes.get(ip);
      int port = bytes.getShort() & 0xffff;
      if (port != 0) {
        try {
          peers.add(new InetSocketAddress(InetAddress.getByAddress(ip), port));
        } catch (UnknownHostException impossible) {
          throw new IllegalArgumentException("invalid address length " + ipLength, impossible);
        }
      }
    }
    return peers;
  }
}
