package dev.bitwright.session.internal.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class PeerDialerTest {
  private static final InetSocketAddress PEER = new InetSocketAddress("10.0.0.9", 6881);
  private static final long TEN_SECONDS = 10_000_000_000L;

  private long now = 1_000;
  private final FakeTransport tcp = new FakeTransport(false);
  private final FakeTransport utp = new FakeTransport(true);
  private PeerDialer.DialPolicy policy = new PeerDialer.DialPolicy(true, true, true);
  private final RecordingHandler handler = new RecordingHandler();
  private final EngineLoop loop =
      new EngineLoop() {
        @Override
        public long nanoTime() {
          return now;
        }

        @Override
        public void execute(Runnable task) {
          task.run();
        }

        @Override
        public Timer schedule(long delayNanos, Runnable task) {
          return () -> {};
        }

        @Override
        public boolean inLoop() {
          return true;
        }
      };
  private final PeerDialer dialer = new PeerDialer(loop, tcp, utp, () -> policy);

  @Test
  void triesUtpFirstForAtMostThreeSecondsThenTcp() {
    dialer.connect(PEER, TEN_SECONDS, handler);
    assertThat(utp.dials).hasSize(1);
    assertThat(utp.dials.get(0).timeoutNanos).isEqualTo(PeerDialer.FIRST_ATTEMPT_NANOS);

    now += PeerDialer.FIRST_ATTEMPT_NANOS;
    utp.dials.get(0).fail();

    assertThat(tcp.dials).hasSize(1);
    assertThat(tcp.dials.get(0).timeoutNanos)
        .isEqualTo(TEN_SECONDS - PeerDialer.FIRST_ATTEMPT_NANOS);
    assertThat(handler.closed).as("the first failure is not the handler's").isZero();
    tcp.dials.get(0).succeed();
    assertThat(handler.connected).containsExactly(tcp.dials.get(0).connection);
  }

  @Test
  void aPeerWithoutUtpIsDialledOverTcpNextTime() {
    dialer.connect(PEER, TEN_SECONDS, handler);
    utp.dials.get(0).fail();
    tcp.dials.get(0).succeed();

    dialer.connect(PEER, TEN_SECONDS, new RecordingHandler());

    assertThat(utp.dials).hasSize(1);
    assertThat(tcp.dials).hasSize(2);
  }

  @Test
  void bothFailingTellsTheHandlerOnce() {
    dialer.connect(PEER, TEN_SECONDS, handler);
    utp.dials.get(0).fail();
    tcp.dials.get(0).fail();
    assertThat(handler.closed).isEqualTo(1);
  }

  @Test
  void noSecondAttemptOnceTheTimeIsUp() {
    dialer.connect(PEER, TEN_SECONDS, handler);
    now += TEN_SECONDS;
    utp.dials.get(0).fail();
    assertThat(tcp.dials).isEmpty();
    assertThat(handler.closed).isEqualTo(1);
  }

  @Test
  void tcpPreferredTriesTcpFirstButPexUtpPeersGoUtpFirst() {
    policy = new PeerDialer.DialPolicy(true, true, false);
    dialer.connect(PEER, TEN_SECONDS, handler);
    assertThat(tcp.dials).hasSize(1);
    assertThat(utp.dials).isEmpty();

    InetSocketAddress other = new InetSocketAddress("10.0.0.10", 6881);
    dialer.speaksUtp(other);
    dialer.connect(other, TEN_SECONDS, new RecordingHandler());
    assertThat(utp.dials).hasSize(1);
  }

  @Test
  void oneTransportOnlyGetsTheWholeTimeAndNoFallback() {
    policy = new PeerDialer.DialPolicy(true, false, false);
    dialer.connect(PEER, TEN_SECONDS, handler);
    assertThat(utp.dials.get(0).timeoutNanos).isEqualTo(TEN_SECONDS);
    utp.dials.get(0).fail();
    assertThat(tcp.dials).isEmpty();
    assertThat(handler.closed).isEqualTo(1);
  }

  @Test
  void admitsIncomingConnectionsOnlyOnTransportsThatAreOn() {
    policy = new PeerDialer.DialPolicy(false, true, true);
    assertThat(dialer.admits(new FakeConnection(true))).isFalse();
    assertThat(dialer.admits(new FakeConnection(false))).isTrue();
    assertThatThrownBy(() -> new PeerDialer.DialPolicy(false, false, true))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static final class RecordingHandler implements ConnectionHandler {
    final List<Connection> connected = new ArrayList<>();
    int closed;

    @Override
    public void onConnected(Connection connection) {
      connected.add(connection);
    }

    @Override
    public void onData(Connection connection, ByteBuffer data) {}

    @Override
    public void onWritable(Connection connection) {}

    @Override
    public void onClosed(Connection connection, IOException reason) {
      closed++;
    }
  }

  private static final class Dial {
    final long timeoutNanos;
    final ConnectionHandler handler;
    final FakeConnection connection;

    Dial(long timeoutNanos, ConnectionHandler handler, boolean utp) {
      this.timeoutNanos = timeoutNanos;
      this.handler = handler;
      this.connection = new FakeConnection(utp);
    }

    void fail() {
      handler.onClosed(connection, new IOException("no answer"));
    }

    void succeed() {
      handler.onConnected(connection);
    }
  }

  private static final class FakeTransport implements Transport {
    final List<Dial> dials = new ArrayList<>();
    final boolean utp;

    FakeTransport(boolean utp) {
      this.utp = utp;
    }

    @Override
    public void connect(InetSocketAddress remote, long timeoutNanos, ConnectionHandler handler) {
      dials.add(new Dial(timeoutNanos, handler, utp));
    }

    @Override
    public void onAccept(Function<Connection, ConnectionHandler> acceptor) {}

    @Override
    public InetSocketAddress listenAddress() {
      return PEER;
    }
  }

  private record FakeConnection(boolean utp) implements Connection {
    @Override
    public InetSocketAddress remoteAddress() {
      return PEER;
    }

    @Override
    public boolean outgoing() {
      return true;
    }

    @Override
    public int write(ByteBuffer data) {
      return 0;
    }

    @Override
    public void wantWrite() {}

    @Override
    public void setReading(boolean reading) {}

    @Override
    public void ensureReadCapacity(int bytes) {}

    @Override
    public void close() {}

    @Override
    public boolean isOpen() {
      return true;
    }
  }
}
