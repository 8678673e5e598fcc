package dev.bitwright.session.internal.torrent;

import dev.bitwright.session.internal.net.Connection;
import dev.bitwright.session.internal.net.SimulatedNetwork;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the plaintext peer-wire streams a simulated host writes and logs which pieces it sends to
 * whom: the first block of each piece per connection counts as one send of that piece.
 */
final class PieceSendLog implements SimulatedNetwork.Tap {
  private static final int HANDSHAKE_LENGTH = 68;
  private static final byte PIECE = 7;

  private final Map<Connection, StreamReader> streams = new HashMap<>();
  private final List<Integer> sends = new ArrayList<>();
  private final Map<InetAddress, Set<Integer>> piecesByReceiver = new HashMap<>();

  @Override
  public void written(Connection connection, ByteBuffer bytes) {
    streams.computeIfAbsent(connection, StreamReader::new).read(bytes);
  }

  /** Returns the pieces sent, in order, one entry per piece and connection. */
  List<Integer> sends() {
    return List.copyOf(sends);
  }

  /** Returns the distinct pieces sent to {@code receiver} over all its connections. */
  Set<Integer> piecesSentTo(InetAddress receiver) {
    return piecesByReceiver.getOrDefault(receiver, Set.of());
  }

  /**
   * Returns how many sends it took until every one of {@code pieceCount} pieces had been sent at
   * least once, or -1 if some never was.
   */
  int sendsUntilEveryPieceWasSent(int pieceCount) {
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < sends.size(); i++) {
      seen.add(sends.get(i));
      if (seen.size() == pieceCount) {
        return i + 1;
      }
    }
    return -1;
  }

  /** Splits one connection's stream into frames; only piece headers are kept. */
  private final class StreamReader {
    private final Connection connection;
    private final Set<Integer> sentHere = new HashSet<>();
    private final ByteBuffer header = ByteBuffer.allocate(9);
    private long skip = HANDSHAKE_LENGTH;

    StreamReader(Connection connection) {
      this.connection = connection;
    }

    void read(ByteBuffer bytes) {
      while (bytes.hasRemaining()) {
        if (skip > 0) {
          int n = (int) Math.min(skip, bytes.remaining());
          bytes.position(bytes.position() + n);
          skip -= n;
          continue;
        }
        header.put(bytes.get());
        if (header.position() == 4 && header.getInt(0) == 0) {
          header.clear(); // keep-alive
        } else if (header.position() == 9 || (header.position() == 5 && header.get(4) != PIECE)) {
          if (header.get(4) == PIECE) {
            sent(header.getInt(5));
          }
          skip = header.getInt(0) - (header.position() - 4);
          header.clear();
        }
      }
    }

    private void sent(int piece) {
      if (sentHere.add(piece)) {
        sends.add(piece);
        piecesByReceiver
            .computeIfAbsent(connection.remoteAddress().getAddress(), a -> new HashSet<>())
            .add(piece);
      }
    }
  }
}
