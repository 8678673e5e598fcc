package dev.bitwright.testing;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bitwright.wire.ExtensionHandshake;
import dev.bitwright.wire.Handshake;
import dev.bitwright.wire.PeerId;
import dev.bitwright.wire.PeerMessage;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Two MockPeers talking to each other, and MockPeers against plain sockets. */
@Timeout(30)
class MockPeerTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final Duration SHORT = Duration.ofMillis(300);
  private static final byte[] INFO_HASH = "0123456789abcdefghij".getBytes(US_ASCII);

  private MockPeer listener;
  private MockPeer dialler;

  @AfterEach
  void close() {
    if (dialler != null) {
      dialler.close();
    }
    if (listener != null) {
      listener.close();
    }
  }

  private static ExtensionHandshake extensions(Map<String, Integer> messages) {
    return new ExtensionHandshake(
        messages,
        Optional.of("test"),
        OptionalInt.of(6881),
        OptionalInt.empty(),
        Optional.empty(),
        OptionalInt.empty(),
        false,
        false);
  }

  /** Connects a dialler with {@code options} to a listener with default options. */
  private void pair(MockPeer.Builder options) throws Exception {
    listener = MockPeer.listen();
    CompletableFuture<Handshake> accepted =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return listener.awaitConnection(WAIT);
              } catch (MockPeerException e) {
                throw new IllegalStateException(e);
              }
            });
    dialler = options.connect(listener.address(), INFO_HASH);
    accepted.get(10, TimeUnit.SECONDS);
  }

  private static long millisSince(long start) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
  }

  @Test
  void handshakesCarryTheOptionsAndTheListenerAnswersForTheInfoHashItWasAskedFor()
      throws Exception {
    PeerId id = new PeerId("-XX0001-abcdefghijkl".getBytes(US_ASCII));
    pair(MockPeer.builder().peerId(id).fast(false).dht(true).v2Upgrade(true));

    Handshake heard = listener.remoteHandshake();
    assertThat(heard.peerId()).isEqualTo(id);
    assertThat(heard.infoHash()).isEqualTo(INFO_HASH);
    assertThat(heard.supportsFast()).isFalse();
    assertThat(heard.supportsDht()).isTrue();
    assertThat(heard.supportsV2Upgrade()).isTrue();
    assertThat(heard.supportsExtensionProtocol()).isTrue();

    Handshake answer = dialler.remoteHandshake();
    assertThat(answer.infoHash()).isEqualTo(INFO_HASH);
    assertThat(answer.supportsFast()).isTrue();
    assertThat(answer.peerId().bytes()).startsWith("-MP0100-".getBytes(US_ASCII));
    assertThat(listener.address().getAddress()).isEqualTo(InetAddress.getLoopbackAddress());
    assertThat(dialler.address().getPort()).isNotEqualTo(listener.address().getPort());
  }

  @Test
  void theExtensionHandshakeGoesOutRightAfterTheHandshakes() throws Exception {
    pair(MockPeer.builder().extensionHandshake(extensions(Map.of(ExtensionHandshake.UT_PEX, 3))));

    assertThat(listener.remoteExtensionHandshake()).isEmpty();
    ExtensionHandshake heard = listener.awaitExtensionHandshake(WAIT);
    assertThat(heard.idOf(ExtensionHandshake.UT_PEX)).hasValue(3);
    assertThat(heard.listenPort()).hasValue(6881);
    assertThat(listener.remoteExtensionHandshake()).contains(heard);
    assertThat(dialler.remoteExtensionHandshake()).isEmpty();
  }

  @Test
  void messagesArriveInOrderWithPieceDataCopiedAndKeepAlivesCounted() throws Exception {
    pair(MockPeer.builder());
    byte[] block = new byte[16 * 1024];
    Arrays.fill(block, (byte) 7);
    dialler.send(
        new PeerMessage.Bitfield(new byte[] {(byte) 0xa0}),
        new PeerMessage.KeepAlive(),
        new PeerMessage.Piece(1, 0, ByteBuffer.wrap(block)));
    dialler.send(new PeerMessage.Have(2));

    assertThat(listener.expect(PeerMessage.Bitfield.class, WAIT).has(0)).isTrue();
    PeerMessage.Piece piece = listener.expect(PeerMessage.Piece.class, WAIT);
    // Read past the piece: its data must not change when the buffer is reused.
    assertThat(listener.takeMessage(WAIT)).isEqualTo(new PeerMessage.Have(2));
    byte[] data = new byte[piece.length()];
    piece.data().get(data);
    assertThat(data).isEqualTo(block);
    assertThat(listener.keepAlivesReceived()).isEqualTo(1);
  }

  @Test
  void messagesLongerThanTheBufferAreRead() throws Exception {
    pair(MockPeer.builder());
    byte[] bits = new byte[200_000];
    bits[0] = (byte) 0x80;
    dialler.send(new PeerMessage.Bitfield(bits));
    assertThat(listener.takeMessage(WAIT)).isEqualTo(new PeerMessage.Bitfield(bits));
  }

  @Test
  void awaitMessageSkipsOthersAndPollMessageReturnsEmptyAtTheTimeout() throws Exception {
    pair(MockPeer.builder());
    dialler.send(new PeerMessage.Have(1), new PeerMessage.Have(2), new PeerMessage.Unchoke());

    assertThat(listener.awaitMessage(PeerMessage.Have.class, h -> h.piece() == 2, WAIT).piece())
        .isEqualTo(2);
    assertThat(listener.awaitMessage(PeerMessage.Unchoke.class, WAIT)).isNotNull();
    long start = System.nanoTime();
    assertThat(listener.pollMessage(PeerMessage.Have.class, SHORT)).isEmpty();
    assertThat(millisSince(start)).isBetween(250L, 3000L);
    assertThat(listener.remoteClosed()).isFalse();
  }

  @Test
  void aWaitThatTimesOutSaysWhatCameInstead() throws Exception {
    pair(MockPeer.builder());
    dialler.send(new PeerMessage.Have(1), new PeerMessage.Interested());

    long start = System.nanoTime();
    assertThatThrownBy(() -> listener.awaitMessage(PeerMessage.Unchoke.class, SHORT))
        .isInstanceOfSatisfying(
            MockPeerException.class,
            e ->
                assertThat(e.received())
                    .containsExactly(new PeerMessage.Have(1), new PeerMessage.Interested()))
        .hasMessage(
            "expected a matching Unchoke within 300 ms; received 2 messages [Have[piece=1],"
                + " Interested[]], then nothing more");
    assertThat(millisSince(start)).isBetween(250L, 3000L);
    assertThatThrownBy(() -> listener.takeMessage(Duration.ZERO))
        .isInstanceOf(MockPeerException.class)
        .hasMessage("expected a message within 0 s; received nothing, then nothing more");
  }

  @Test
  void expectInsistsOnTheNextMessage() throws Exception {
    pair(MockPeer.builder());
    dialler.send(new PeerMessage.Have(1), new PeerMessage.Unchoke());

    assertThatThrownBy(() -> listener.expect(PeerMessage.Unchoke.class, WAIT))
        .isInstanceOfSatisfying(
            MockPeerException.class,
            e -> assertThat(e.received()).containsExactly(new PeerMessage.Have(1)))
        .hasMessage("expected Unchoke as the next message; received Have[piece=1]");
    assertThat(listener.expect(PeerMessage.Unchoke.class, WAIT)).isNotNull();
  }

  @Test
  void aCloseIsAwaitedAndEndsWaitsForMessages() throws Exception {
    pair(MockPeer.builder());
    dialler.send(new PeerMessage.Choke());
    assertThatThrownBy(() -> listener.awaitClose(SHORT))
        .isInstanceOf(MockPeerException.class)
        .hasMessage(
            "expected the connection to close within 300 ms; received 1 message [Choke[]], then"
                + " nothing more");

    dialler.send(new PeerMessage.Have(5));
    dialler.close();
    listener.awaitClose(WAIT);
    assertThat(listener.remoteClosed()).isTrue();
    assertThat(listener.pollMessage(PeerMessage.class, WAIT)).isEmpty();
    assertThatThrownBy(() -> listener.takeMessage(WAIT))
        .isInstanceOf(MockPeerException.class)
        .hasMessageEndingWith("then the connection closed");
  }

  @Test
  void messagesSentBeforeACloseAreStillRead() throws Exception {
    pair(MockPeer.builder());
    dialler.send(new PeerMessage.Have(5));
    dialler.close();
    assertThat(listener.takeMessage(WAIT)).isEqualTo(new PeerMessage.Have(5));
    assertThatThrownBy(() -> listener.takeMessage(WAIT))
        .hasMessage("expected a message within 5 s; received nothing, then the connection closed");
  }

  @Test
  void malformedBytesFailTheReader() throws Exception {
    pair(MockPeer.builder());
    // A choke message with a payload.
    dialler.sendRaw(new byte[] {0, 0, 0, 2, PeerMessage.CHOKE, 9});
    assertThatThrownBy(() -> listener.takeMessage(WAIT))
        .isInstanceOf(MockPeerException.class)
        .hasMessageContaining("then a malformed message");
  }

  @Test
  void aSendToAPeerThatDoesNotReadTimesOut() throws Exception {
    listener = MockPeer.builder().receiveBufferSize(4096).listen();
    CompletableFuture<Handshake> accepted =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return listener.awaitConnection(WAIT);
              } catch (MockPeerException e) {
                throw new IllegalStateException(e);
              }
            });
    dialler = MockPeer.builder().timeout(SHORT).connect(listener.address(), INFO_HASH);
    accepted.get(10, TimeUnit.SECONDS);

    // The listener never reads: the bytes fill its buffer and the dialler's.
    long start = System.nanoTime();
    assertThatThrownBy(() -> dialler.sendRaw(new byte[16 << 20]))
        .isInstanceOf(MockPeerException.class)
        .hasMessageEndingWith("bytes within 300 ms: the other side does not read");
    assertThat(millisSince(start)).isBetween(250L, 5000L);
  }

  @Test
  void aListenerAcceptsTheNextConnectionAfterClosingTheCurrentOne() throws Exception {
    pair(MockPeer.builder());
    CompletableFuture<Handshake> second =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return listener.awaitConnection(WAIT);
              } catch (MockPeerException e) {
                throw new IllegalStateException(e);
              }
            });
    dialler.awaitClose(WAIT);
    try (MockPeer again = MockPeer.connect(listener.address(), INFO_HASH)) {
      second.get(10, TimeUnit.SECONDS);
      again.send(new PeerMessage.Interested());
      assertThat(listener.takeMessage(WAIT)).isEqualTo(new PeerMessage.Interested());
    }
  }

  @Test
  void awaitConnectionTimesOutWhenNobodyDials() throws Exception {
    listener = MockPeer.listen();
    long start = System.nanoTime();
    assertThatThrownBy(() -> listener.awaitConnection(SHORT))
        .isInstanceOf(MockPeerException.class)
        .hasMessageEndingWith("within 300 ms; none came");
    assertThat(millisSince(start)).isBetween(250L, 3000L);
    assertThatThrownBy(() -> listener.send(new PeerMessage.Interested()))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void connectTimesOutOnASocketThatNeverAnswersTheHandshake() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      InetSocketAddress address =
          new InetSocketAddress(InetAddress.getLoopbackAddress(), silent.getLocalPort());
      long start = System.nanoTime();
      assertThatThrownBy(() -> MockPeer.builder().timeout(SHORT).connect(address, INFO_HASH))
          .isInstanceOf(MockPeerException.class)
          .hasMessageEndingWith("within 300 ms; only 0 bytes came");
      assertThat(millisSince(start)).isBetween(250L, 3000L);
    }
  }

  @Test
  void aListenerRejectsBytesThatAreNotAHandshake() throws Exception {
    listener = MockPeer.listen();
    try (Socket plain = new Socket(listener.address().getAddress(), listener.address().getPort())) {
      plain.getOutputStream().write("GET / HTTP/1.1\r\n\r\n".getBytes(US_ASCII));
      assertThatThrownBy(() -> listener.awaitConnection(WAIT))
          .isInstanceOf(MockPeerException.class)
          .hasMessageContaining("not a BitTorrent handshake");
    }
  }

  @Test
  void aPlainSocketSeesTheHandshakeAndTheFrames() throws Exception {
    listener = MockPeer.listen();
    try (Socket plain = new Socket(listener.address().getAddress(), listener.address().getPort())) {
      plain.setSoTimeout(5000);
      PeerId id = new PeerId("-XX0001-abcdefghijkl".getBytes(US_ASCII));
      plain
          .getOutputStream()
          .write(Handshake.of(INFO_HASH, id, false, true, true, false).toBytes());
      listener.awaitConnection(WAIT);
      listener.send(new PeerMessage.Have(3));
      InputStream in = plain.getInputStream();
      byte[] handshake = in.readNBytes(Handshake.LENGTH);
      assertThat(Handshake.decode(ByteBuffer.wrap(handshake)).infoHash()).isEqualTo(INFO_HASH);
      assertThat(in.readNBytes(9)).containsExactly(0, 0, 0, 5, PeerMessage.HAVE, 0, 0, 0, 3);
    }
  }

  @Test
  void closingFromAnotherThreadEndsAWait() throws Exception {
    pair(MockPeer.builder());
    CompletableFuture<Void> closer =
        CompletableFuture.runAsync(
            () -> {
              try {
                Thread.sleep(200);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              listener.close();
            });
    long start = System.nanoTime();
    assertThatThrownBy(() -> listener.takeMessage(Duration.ofSeconds(20)))
        .isInstanceOf(MockPeerException.class)
        .hasMessageEndingWith("then this MockPeer was closed");
    assertThat(millisSince(start)).isLessThan(5000L);
    closer.get(5, TimeUnit.SECONDS);
    dialler.awaitClose(WAIT);
    assertThatThrownBy(() -> listener.takeMessage(WAIT)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aRefusedConnectionFails() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    InetSocketAddress nobody = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    assertThatThrownBy(() -> MockPeer.connect(nobody, INFO_HASH))
        .isInstanceOf(MockPeerException.class)
        .hasMessageContaining("Connection refused");
  }
}
