package dev.bitwright.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The fake gateway against a real client, libnatpmp's {@code natpmpc} (Debian package natpmpc), and
 * against PCP requests written byte by byte from RFC 6887 (no PCP client is packaged).
 */
@Timeout(60)
class FakeNatGatewayTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  /** Runs natpmpc against 127.0.0.1 (it always asks port 5351) and returns what it printed. */
  private static String natpmpc(String... arguments) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("natpmpc", "-g", "127.0.0.1"));
    command.addAll(List.of(arguments));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    if (!p.waitFor(20, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("natpmpc did not end");
    }
    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }

  private static FakeNatGateway.Builder onTheNatPmpPort() {
    return FakeNatGateway.builder().bind(new InetSocketAddress(LOOPBACK, 5351));
  }

  @Test
  void natpmpcLearnsTheAddressMapsAndDeletes() throws Exception {
    try (FakeNatGateway gateway = onTheNatPmpPort().portOffset(1000).start()) {
      assertThat(natpmpc()).contains("Public IP address : 203.0.113.7");
      String mapped = natpmpc("-a", "6881", "6881", "tcp", "3600");
      // natpmpc spells "lifetime" its own way.
      assertThat(mapped)
          .contains("Mapped public port 7881 protocol TCP to local port 6881 liftime 3600");
      assertThat(gateway.mappings())
          .containsExactly(
              new FakeNatGateway.Mapping(
                  FakeNatGateway.Protocol.TCP, LOOPBACK, 6881, 7881, 3600, false));
      assertThat(natpmpc("-a", "6882", "6882", "udp", "999999"))
          .contains("protocol UDP to local port 6882 liftime 7200");
      assertThat(natpmpc("-a", "0", "6881", "tcp", "0")).contains("liftime 0");
      assertThat(gateway.mappings())
          .extracting(FakeNatGateway.Mapping::internalPort)
          .containsExactly(6882);
    }
  }

  @Test
  void natpmpcIsRefusedByARefusingGateway() throws Exception {
    try (FakeNatGateway gateway = onTheNatPmpPort().refuse(true).start()) {
      String out = natpmpc("-a", "6881", "6881", "tcp", "3600");
      assertThat(out).doesNotContain("Mapped public port");
      assertThat(gateway.mappings()).isEmpty();
    }
  }

  private static byte[] pcpMap(byte[] nonce, int protocol, int port, long lifetime, byte[] client) {
    ByteBuffer b = ByteBuffer.allocate(60);
    b.put((byte) 2).put((byte) 1).putShort((short) 0).putInt((int) lifetime);
    b.put(new byte[10]).put((byte) 0xFF).put((byte) 0xFF).put(client);
    b.put(nonce)
        .put((byte) protocol)
        .put(new byte[3])
        .putShort((short) port)
        .putShort((short) port);
    b.put(new byte[10]).put((byte) 0xFF).put((byte) 0xFF).put(new byte[4]);
    return b.array();
  }

  private static ByteBuffer ask(DatagramSocket client, FakeNatGateway gateway, byte[] request)
      throws IOException {
    client.send(new DatagramPacket(request, request.length, gateway.address()));
    byte[] buffer = new byte[1500];
    DatagramPacket answer = new DatagramPacket(buffer, buffer.length);
    client.receive(answer);
    return ByteBuffer.wrap(Arrays.copyOf(buffer, answer.getLength()));
  }

  @Test
  void answersPcpMapAsRfc6887Says() throws Exception {
    byte[] nonce = "twelve bytes".getBytes(StandardCharsets.US_ASCII);
    byte[] me = LOOPBACK.getAddress();
    try (FakeNatGateway gateway = FakeNatGateway.builder().maxLifetimeSeconds(600).start();
        DatagramSocket client = new DatagramSocket(0, LOOPBACK)) {
      client.setSoTimeout(5000);
      ByteBuffer a = ask(client, gateway, pcpMap(nonce, 6, 6881, 7200, me));
      assertThat(a.remaining()).isEqualTo(60);
      assertThat(a.get(0)).isEqualTo((byte) 2);
      assertThat(a.get(1)).isEqualTo((byte) 0x81);
      assertThat(a.get(3)).isZero();
      assertThat(a.getInt(4)).isEqualTo(600);
      assertThat(Arrays.copyOfRange(a.array(), 24, 36)).isEqualTo(nonce);
      assertThat(a.getShort(42)).isEqualTo((short) 6881);
      assertThat(Arrays.copyOfRange(a.array(), 56, 60)).containsExactly(203, 0, 113, 7);
      // Another nonce may neither renew nor delete it.
      byte[] other = "other nonce!".getBytes(StandardCharsets.US_ASCII);
      assertThat(ask(client, gateway, pcpMap(other, 6, 6881, 0, me)).get(3)).isEqualTo((byte) 2);
      // A request naming another client address is refused: ADDRESS_MISMATCH.
      byte[] elsewhere = {10, 9, 8, 7};
      assertThat(ask(client, gateway, pcpMap(nonce, 6, 6881, 60, elsewhere)).get(3))
          .isEqualTo((byte) 12);
      assertThat(gateway.mappings()).hasSize(1);
      assertThat(ask(client, gateway, pcpMap(nonce, 6, 6881, 0, me)).get(3)).isZero();
      assertThat(gateway.mappings()).isEmpty();
    }
  }

  @Test
  void aNatPmpOnlyGatewayAnswersPcpUnsupportedVersionInVersionZero() throws Exception {
    try (FakeNatGateway gateway =
            FakeNatGateway.builder().protocols(FakeNatGateway.Protocols.NAT_PMP_ONLY).start();
        DatagramSocket client = new DatagramSocket(0, LOOPBACK)) {
      client.setSoTimeout(5000);
      ByteBuffer a = ask(client, gateway, pcpMap(new byte[12], 6, 1, 1, LOOPBACK.getAddress()));
      assertThat(a.remaining()).isEqualTo(8);
      assertThat(a.get(0)).isZero();
      assertThat(a.get(1) & 0xFF).isEqualTo(129);
      assertThat(a.getShort(2)).isEqualTo((short) 1);
    }
  }

  @Test
  void aRestartForgetsTheMappingsAndAnnouncesANewEpochToPcpClients() throws Exception {
    byte[] me = LOOPBACK.getAddress();
    try (FakeNatGateway gateway = FakeNatGateway.builder().start();
        DatagramSocket client = new DatagramSocket(0, LOOPBACK)) {
      client.setSoTimeout(5000);
      ask(client, gateway, pcpMap(new byte[12], 17, 6881, 60, me));
      assertThat(gateway.mappings()).hasSize(1);
      gateway.restart();
      assertThat(gateway.mappings()).isEmpty();
      byte[] buffer = new byte[100];
      DatagramPacket announce = new DatagramPacket(buffer, buffer.length);
      client.receive(announce);
      assertThat(announce.getLength()).isEqualTo(24);
      assertThat(buffer[1]).isEqualTo((byte) 0x80);
    }
  }

  @Test
  void aGatewayWithoutTheServiceStaysSilent() throws Exception {
    try (FakeNatGateway gateway =
            FakeNatGateway.builder().protocols(FakeNatGateway.Protocols.NONE).start();
        DatagramSocket client = new DatagramSocket(0, LOOPBACK)) {
      client.setSoTimeout(300);
      byte[] request = {0, 0};
      client.send(new DatagramPacket(request, 2, gateway.address()));
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> client.receive(new DatagramPacket(new byte[16], 16)))
          .isInstanceOf(java.net.SocketTimeoutException.class);
      assertThat(gateway.requests()).isEqualTo(1);
    }
  }
}
