package dev.bitwright.session.internal.net;

import com.google.common.base.Preconditions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Dials peers over uTP or TCP as the {@link DialPolicy} of the moment says: the preferred transport
 * first and, when it fails before connecting, the other (as libtorrent does). The first attempt
 * gets at most {@link #FIRST_ATTEMPT_NANOS} when a second may follow. Peers that did not answer
 * over uTP are remembered (the last {@link #REMEMBERED} of them) and dialled over TCP first from
 * then on; peers said to speak uTP (PEX) are dialled over uTP first. Loop thread only.
 */
public final class PeerDialer {
  /** The longest a first attempt may take when another transport can follow (libtorrent: 3 s). */
  static final long FIRST_ATTEMPT_NANOS = 3_000_000_000L;

  /** How many peers without uTP are remembered. */
  static final int REMEMBERED = 4096;

  /** Which transports peers are dialled and accepted on. */
  public record DialPolicy(boolean utp, boolean tcp, boolean preferUtp) {
    /** Checks that at least one transport is on. */
    public DialPolicy {
      Preconditions.checkArgument(utp || tcp, "uTP and TCP cannot both be off");
    }
  }

  private final EngineLoop loop;
  private final Transport tcp;
  private final Transport utp;
  private final Supplier<DialPolicy> policy;
  private final Map<InetSocketAddress, Boolean> withoutUtp = remembered();
  private final Map<InetSocketAddress, Boolean> withUtp = remembered();

  /** A dialer over {@code tcp} and {@code utp}, choosing by {@code policy} at each dial. */
  public PeerDialer(EngineLoop loop, Transport tcp, Transport utp, Supplier<DialPolicy> policy) {
    this.loop = loop;
    this.tcp = tcp;
    this.utp = utp;
    this.policy = policy;
  }

  private static Map<InetSocketAddress, Boolean> remembered() {
    return new LinkedHashMap<>(64, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<InetSocketAddress, Boolean> eldest) {
        return size() > REMEMBERED;
      }
    };
  }

  /**
   * Notes that {@code address} speaks uTP (a peer said so in PEX): it is dialled over uTP first,
   * even where TCP is preferred.
   */
  public void speaksUtp(InetSocketAddress address) {
    withUtp.put(address, Boolean.TRUE);
  }

  /**
   * Opens a connection to {@code remote} within {@code timeoutNanos}; {@code handler} hears {@code
   * onConnected} on whichever transport answered, or {@code onClosed} once every allowed one
   * failed.
   */
  public void connect(InetSocketAddress remote, long timeoutNanos, ConnectionHandler handler) {
    DialPolicy now = policy.get();
    boolean utpFirst =
        now.utp()
            && (!now.tcp()
                || ((now.preferUtp() || withUtp.containsKey(remote))
                    && !withoutUtp.containsKey(remote)));
    boolean fallback = now.utp() && now.tcp();
    if (!fallback) {
      dial(utpFirst, remote, timeoutNanos, handler);
      return;
    }
    long deadline = loop.nanoTime() + timeoutNanos;
    long first = Math.min(timeoutNanos, FIRST_ATTEMPT_NANOS);
    dial(
        utpFirst,
        remote,
        first,
        new ConnectionHandler() {
          private boolean connected;

          @Override
          public void onConnected(Connection connection) {
            connected = true;
            handler.onConnected(connection);
          }

          @Override
          public void onData(Connection connection, java.nio.ByteBuffer data) throws IOException {
            handler.onData(connection, data);
          }

          @Override
          public void onWritable(Connection connection) throws IOException {
            handler.onWritable(connection);
          }

          @Override
          public void onClosed(Connection connection, IOException reason) {
            if (connected) {
              handler.onClosed(connection, reason);
              return;
            }
            if (utpFirst && !(reason instanceof LocalFailure)) {
              withoutUtp.put(remote, Boolean.TRUE);
              withUtp.remove(remote);
            }
            long left = deadline - loop.nanoTime();
            if (left <= 0) {
              handler.onClosed(connection, reason);
            } else {
              dial(!utpFirst, remote, left, handler);
            }
          }
        });
  }

  private void dial(
      boolean overUtp, InetSocketAddress remote, long timeoutNanos, ConnectionHandler handler) {
    if (overUtp) {
      utp.connect(remote, timeoutNanos, handler);
    } else {
      tcp.connect(remote, timeoutNanos, handler);
    }
  }

  /** Returns whether an incoming connection may be accepted on its transport. */
  public boolean admits(Connection connection) {
    DialPolicy now = policy.get();
    return connection.utp() ? now.utp() : now.tcp();
  }
}
