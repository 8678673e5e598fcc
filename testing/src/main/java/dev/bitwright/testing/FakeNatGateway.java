package dev.bitwright.testing;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A home router's port mapping service, for tests of applications that map their ports: answers PCP
 * (RFC 6887) MAP and ANNOUNCE requests and NAT-PMP (RFC 6886) external address and mapping requests
 * on a real UDP socket, as a gateway would, and remembers the mappings it granted. Written from the
 * RFCs and checked against libnatpmp's {@code natpmpc}; it forwards nothing.
 *
 * <p>What a gateway does and this one does too: a gateway speaking only NAT-PMP answers a PCP
 * request "unsupported version" in version 0 (RFC 6887, section 9), so that the client falls back;
 * the epoch counts seconds since it started; a PCP MAP must carry the client's own address (else
 * ADDRESS_MISMATCH) and the nonce of the mapping it renews or deletes (else NOT_AUTHORIZED);
 * lifetime 0 deletes; lifetimes are capped; an external port taken by another client is not given
 * twice. {@link #restart()} forgets every mapping and starts a new epoch, and tells the PCP clients
 * it knows by an unsolicited ANNOUNCE, as RFC 6887 (section 14.1.3) asks of a server that lost its
 * state.
 *
 * <p>Thread-safe; answers on a thread of its own until {@link #close()}.
 */
public final class FakeNatGateway implements AutoCloseable {
  /** Which protocols the gateway speaks. */
  public enum Protocols {
    /** PCP and NAT-PMP, as miniupnpd does. */
    PCP_AND_NAT_PMP,
    /** NAT-PMP alone: PCP requests get "unsupported version" in version 0. */
    NAT_PMP_ONLY,
    /** Neither: requests go unanswered, as on a router without the service. */
    NONE
  }

  /** What a mapping forwards. */
  public enum Protocol {
    /** TCP (6). */
    TCP,
    /** UDP (17). */
    UDP
  }

  /**
   * A mapping the gateway granted.
   *
   * @param protocol what it forwards
   * @param client the client's address
   * @param internalPort the client's port
   * @param externalPort the gateway's port forwarded to it
   * @param lifetimeSeconds the lifetime granted by the last request
   * @param pcp whether it was asked by PCP (else NAT-PMP)
   */
  public record Mapping(
      Protocol protocol,
      InetAddress client,
      int internalPort,
      int externalPort,
      long lifetimeSeconds,
      boolean pcp) {}

  private static final int NAT_PMP = 0;
  private static final int PCP = 2;

  private final DatagramSocket socket;
  private final Protocols protocols;
  private final InetAddress externalAddress;
  private final long maxLifetimeSeconds;
  private final int portOffset;
  private final boolean refuse;
  private final Thread thread;
  private final AtomicInteger requests = new AtomicInteger();
  // Guarded by this: mappings by protocol and external port, and the nonce of each PCP mapping.
  private final Map<String, Mapping> mappings = new LinkedHashMap<>();
  private final Map<String, byte[]> nonces = new LinkedHashMap<>();
  private final Set<InetSocketAddress> pcpClients = new LinkedHashSet<>();
  private long epochStart = System.nanoTime();

  private FakeNatGateway(Builder b) throws SocketException {
    this.socket = new DatagramSocket(b.bind);
    this.protocols = b.protocols;
    this.externalAddress = b.externalAddress;
    this.maxLifetimeSeconds = b.maxLifetimeSeconds;
    this.portOffset = b.portOffset;
    this.refuse = b.refuse;
    this.thread = new Thread(this::serve, "fake-nat-gateway-" + socket.getLocalPort());
    thread.setDaemon(true);
    thread.start();
  }

  /** {@return a builder: 127.0.0.1 on a free port, both protocols, external 203.0.113.7} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return the address the gateway answers on} */
  public InetSocketAddress address() {
    return (InetSocketAddress) socket.getLocalSocketAddress();
  }

  /** {@return the mappings granted and not deleted or expired from memory by a restart} */
  public synchronized List<Mapping> mappings() {
    return List.copyOf(mappings.values());
  }

  /** {@return how many requests arrived, well-formed or not} */
  public int requests() {
    return requests.get();
  }

  /**
   * Forgets every mapping and starts a new epoch, as a rebooted router, and sends every PCP client
   * it knows an unsolicited ANNOUNCE with the new epoch.
   */
  public void restart() {
    List<InetSocketAddress> clients;
    synchronized (this) {
      mappings.clear();
      nonces.clear();
      epochStart = System.nanoTime();
      clients = List.copyOf(pcpClients);
    }
    for (InetSocketAddress client : clients) {
      send(pcpHeader(0, 0, 0).array(), client);
    }
  }

  private void serve() {
    byte[] buffer = new byte[1500];
    while (!socket.isClosed()) {
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      try {
        socket.receive(packet);
      } catch (IOException e) {
        return; // closed
      }
      requests.incrementAndGet();
      InetSocketAddress from = (InetSocketAddress) packet.getSocketAddress();
      byte[] answer = answer(Arrays.copyOf(buffer, packet.getLength()), from);
      if (answer != null) {
        send(answer, from);
      }
    }
  }

  private void send(byte[] datagram, InetSocketAddress to) {
    try {
      socket.send(new DatagramPacket(datagram, datagram.length, to));
    } catch (IOException e) {
      // closed meanwhile: the client retransmits
    }
  }

  private synchronized byte @Nullable [] answer(byte[] request, InetSocketAddress from) {
    if (request.length < 2 || protocols == Protocols.NONE) {
      return null;
    }
    int version = request[0] & 0xFF;
    if (version == NAT_PMP) {
      return natPmp(ByteBuffer.wrap(request), from);
    }
    if (version == PCP && protocols == Protocols.PCP_AND_NAT_PMP) {
      return pcp(ByteBuffer.wrap(request), from);
    }
    // RFC 6887, section 9: a NAT-PMP gateway answers an unknown version in version 0.
    return ByteBuffer.allocate(8)
        .put((byte) NAT_PMP)
        .put((byte) (128 + (request[1] & 0x7F)))
        .putShort((short) 1)
        .putInt(epoch())
        .array();
  }

  private int epoch() {
    return (int) ((System.nanoTime() - epochStart) / 1_000_000_000L);
  }

  private byte[] natPmp(ByteBuffer r, InetSocketAddress from) {
    int op = r.get(1) & 0xFF;
    if (op == 0) {
      return ByteBuffer.allocate(12)
          .put((byte) 0)
          .put((byte) 128)
          .putShort((short) 0)
          .putInt(epoch())
          .put(externalAddress.getAddress())
          .array();
    }
    if ((op != 1 && op != 2) || r.remaining() < 12) {
      return natPmpError(op, 5);
    }
    if (refuse) {
      return natPmpError(op, 2);
    }
    Protocol protocol = op == 1 ? Protocol.UDP : Protocol.TCP;
    int internal = r.getShort(4) & 0xFFFF;
    int suggested = r.getShort(6) & 0xFFFF;
    long lifetime = r.getInt(8) & 0xFFFFFFFFL;
    int external = 0;
    if (lifetime == 0) {
      delete(protocol, from.getAddress(), internal);
    } else {
      lifetime = Math.min(lifetime, maxLifetimeSeconds);
      external = grant(protocol, from.getAddress(), internal, suggested, lifetime, false);
    }
    return ByteBuffer.allocate(16)
        .put((byte) 0)
        .put((byte) (128 + op))
        .putShort((short) 0)
        .putInt(epoch())
        .putShort((short) internal)
        .putShort((short) external)
        .putInt((int) lifetime)
        .array();
  }

  private byte[] natPmpError(int op, int result) {
    return ByteBuffer.allocate(8)
        .put((byte) 0)
        .put((byte) (128 + op))
        .putShort((short) result)
        .putInt(epoch())
        .array();
  }

  private byte @Nullable [] pcp(ByteBuffer r, InetSocketAddress from) {
    int length = r.remaining();
    int opcode = r.get(1) & 0x7F;
    if (length < 24 || length > 1100 || length % 4 != 0 || (r.get(1) & 0x80) != 0) {
      return length < 24 ? null : pcpHeader(opcode, 3, 0).array();
    }
    pcpClients.add(from);
    byte[] client = new byte[16];
    r.position(8);
    r.get(client);
    if (!Arrays.equals(client, sixteen(from.getAddress()))) {
      return pcpMapAnswer(r, opcode, 12, 0, 0);
    }
    if (opcode == 0) {
      return pcpHeader(0, 0, 0).array();
    }
    if (opcode != 1) {
      return pcpHeader(opcode, 4, 0).array();
    }
    if (length < 60) {
      return pcpHeader(opcode, 3, 0).array();
    }
    long lifetime = r.getInt(4) & 0xFFFFFFFFL;
    byte[] nonce = new byte[12];
    r.position(24);
    r.get(nonce);
    int ipProtocol = r.get(36) & 0xFF;
    int internal = r.getShort(40) & 0xFFFF;
    int suggested = r.getShort(42) & 0xFFFF;
    if (ipProtocol != 6 && ipProtocol != 17) {
      return pcpMapAnswer(r, opcode, 9, 0, 0);
    }
    Protocol protocol = ipProtocol == 6 ? Protocol.TCP : Protocol.UDP;
    if (refuse) {
      return pcpMapAnswer(r, opcode, 2, 0, 0);
    }
    String owner = owner(protocol, from.getAddress(), internal);
    byte[] known = nonces.get(owner);
    if (known != null && !Arrays.equals(known, nonce)) {
      return pcpMapAnswer(r, opcode, 2, 0, 0);
    }
    if (lifetime == 0) {
      delete(protocol, from.getAddress(), internal);
      return pcpMapAnswer(r, opcode, 0, 0, 0);
    }
    lifetime = Math.min(lifetime, maxLifetimeSeconds);
    int external = grant(protocol, from.getAddress(), internal, suggested, lifetime, true);
    nonces.put(owner, nonce);
    return pcpMapAnswer(r, opcode, 0, lifetime, external);
  }

  /** The MAP answer: the request's opcode data with the assigned port and external address. */
  private byte[] pcpMapAnswer(ByteBuffer r, int opcode, int result, long lifetime, int external) {
    ByteBuffer answer = pcpHeader(opcode, result, lifetime);
    if (r.limit() < 60) {
      return answer.array();
    }
    ByteBuffer full = ByteBuffer.allocate(60).put(answer.array());
    byte[] data = new byte[36];
    r.position(24);
    r.get(data);
    full.put(data);
    full.putShort(42, (short) external);
    full.position(44);
    full.put(result == 0 ? sixteen(externalAddress) : new byte[16]);
    return full.array();
  }

  private ByteBuffer pcpHeader(int opcode, int result, long lifetime) {
    return ByteBuffer.allocate(24)
        .put((byte) PCP)
        .put((byte) (0x80 | opcode))
        .put((byte) 0)
        .put((byte) result)
        .putInt((int) lifetime)
        .putInt(epoch());
  }

  private int grant(
      Protocol protocol,
      InetAddress client,
      int internal,
      int suggested,
      long lifetime,
      boolean pcp) {
    String owner = owner(protocol, client, internal);
    for (Map.Entry<String, Mapping> e : mappings.entrySet()) {
      Mapping m = e.getValue();
      if (owner(m.protocol(), m.client(), m.internalPort()).equals(owner)) {
        Mapping renewed = new Mapping(protocol, client, internal, m.externalPort(), lifetime, pcp);
        e.setValue(renewed);
        return m.externalPort();
      }
    }
    int external = suggested != 0 ? suggested + portOffset : internal + portOffset;
    while (external > 0xFFFF || external < 1024 || mappings.containsKey(key(protocol, external))) {
      external = external >= 0xFFFF || external < 1024 ? 1024 : external + 1;
    }
    mappings.put(
        key(protocol, external), new Mapping(protocol, client, internal, external, lifetime, pcp));
    return external;
  }

  private void delete(Protocol protocol, InetAddress client, int internal) {
    String owner = owner(protocol, client, internal);
    mappings
        .values()
        .removeIf(m -> owner(m.protocol(), m.client(), m.internalPort()).equals(owner));
    nonces.remove(owner);
  }

  private static String key(Protocol protocol, int externalPort) {
    return protocol + ":" + externalPort;
  }

  private static String owner(Protocol protocol, InetAddress client, int internal) {
    return protocol + ":" + client.getHostAddress() + ":" + internal;
  }

  private static byte[] sixteen(InetAddress address) {
    byte[] raw = address.getAddress();
    if (raw.length == 16) {
      return raw;
    }
    byte[] mapped = new byte[16];
    mapped[10] = (byte) 0xFF;
    mapped[11] = (byte) 0xFF;
    System.arraycopy(raw, 0, mapped, 12, 4);
    return mapped;
  }

  /** Stops answering and closes the socket. */
  @Override
  public void close() {
    socket.close();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Makes a {@link FakeNatGateway}. */
  public static final class Builder {
    private InetSocketAddress bind = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private Protocols protocols = Protocols.PCP_AND_NAT_PMP;
    private InetAddress externalAddress = documentationAddress();
    private long maxLifetimeSeconds = 7200;
    private int portOffset;
    private boolean refuse;

    private Builder() {}

    /**
     * Sets where to answer (default: 127.0.0.1 on a free port; a real gateway answers on 5351).
     *
     * @param address the address and port to bind
     * @return this builder
     */
    public Builder bind(InetSocketAddress address) {
      this.bind = checkNotNull(address);
      return this;
    }

    /**
     * Sets which protocols the gateway speaks (default: both).
     *
     * @param protocols the protocols answered
     * @return this builder
     */
    public Builder protocols(Protocols protocols) {
      this.protocols = checkNotNull(protocols);
      return this;
    }

    /**
     * Sets the external IPv4 address the gateway reports (default 203.0.113.7, a documentation
     * address).
     *
     * @param address the external address
     * @return this builder
     */
    public Builder externalAddress(InetAddress address) {
      checkArgument(address instanceof Inet4Address, "an IPv4 address: %s", address);
      this.externalAddress = address;
      return this;
    }

    /**
     * Sets the longest lifetime granted, in seconds (default 7,200); a short one makes clients
     * renew within a test.
     *
     * @param seconds the longest lifetime
     * @return this builder
     */
    public Builder maxLifetimeSeconds(long seconds) {
      checkArgument(seconds > 0, "seconds %s", seconds);
      this.maxLifetimeSeconds = seconds;
      return this;
    }

    /**
     * Sets how far the external port granted lies from the one asked for (default 0: the same port,
     * when free), as a router that hands out other ports.
     *
     * @param offset added to the suggested (or internal) port
     * @return this builder
     */
    public Builder portOffset(int offset) {
      this.portOffset = offset;
      return this;
    }

    /**
     * Sets whether every mapping request is refused (NOT_AUTHORIZED in PCP, result 2 in NAT-PMP),
     * as a router with the service turned off by its user.
     *
     * @param refuse {@code true} to refuse
     * @return this builder
     */
    public Builder refuse(boolean refuse) {
      this.refuse = refuse;
      return this;
    }

    /**
     * {@return a gateway answering at once}
     *
     * @throws IOException if the socket cannot be bound
     */
    public FakeNatGateway start() throws IOException {
      return new FakeNatGateway(this);
    }

    private static InetAddress documentationAddress() {
      try {
        return InetAddress.getByAddress(new byte[] {(byte) 203, 0, 113, 7});
      } catch (UnknownHostException impossible) {
        throw new IllegalStateException(impossible);
      }
    }
  }
}
