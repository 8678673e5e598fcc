package dev.bitwright.session.internal.portmap;

import dev.bitwright.session.PortMapping;
import dev.bitwright.session.SessionConfig;
import dev.bitwright.session.internal.net.EngineIo;
import dev.bitwright.session.internal.net.EngineIo.UdpSocket;
import dev.bitwright.session.internal.net.WakeUp;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntSupplier;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session's port mappings: a {@link PortMapper} on the engine's loop with a UDP socket
 * connected to the gateway's port 5351 (the one the application named, or the default route's
 * gateway), mapping the TCP listening port and, when open, the UDP port. Closing deletes the
 * mappings. Nothing is sent to any gateway unless the session turned port mapping on, and nothing
 * to the default gateway when the session listens on loopback (there is nothing to map; a gateway
 * the application named is asked all the same). Loop thread only.
 */
public final class PortMappingService {
  /** The port PCP and NAT-PMP servers listen on. */
  public static final int GATEWAY_PORT = 5351;

  private static final Logger log = LoggerFactory.getLogger(PortMappingService.class);

  private final EngineIo io;
  private final SessionConfig config;
  private final RandomGenerator random;
  private final IntSupplier tcpPort;
  private final IntSupplier udpPort;
  private @Nullable UdpSocket socket;
  private @Nullable PortMapper mapper;
  private @Nullable InetSocketAddress gateway;
  private final WakeUp wake;
  private String lastFailure = "";

  /**
   * Port mapping for a session of {@code config} on {@code io}; {@code tcpPort} and {@code udpPort}
   * are our listening ports (0 when closed).
   */
  public PortMappingService(
      EngineIo io,
      SessionConfig config,
      RandomGenerator random,
      IntSupplier tcpPort,
      IntSupplier udpPort) {
    this.io = io;
    this.config = config;
    this.random = random;
    this.tcpPort = tcpPort;
    this.udpPort = udpPort;
    this.wake = new WakeUp(io, this::tick);
  }

  /** Finds the gateway, opens the socket and asks for the mappings. */
  public void start() {
    if (config.listenAddress().isLoopbackAddress() && config.portMappingGateway().isEmpty()) {
      log.info("port mapping is on, but the session listens on loopback: nothing to map");
      return;
    }
    InetSocketAddress target =
        config
            .portMappingGateway()
            .or(() -> DefaultGateway.find().map(a -> new InetSocketAddress(a, GATEWAY_PORT)))
            .orElse(null);
    if (target == null) {
      log.warn("port mapping is on, but no default gateway was found");
      return;
    }
    try {
      socket = io.openConnectedUdp(target, new Handler());
    } catch (IOException e) {
      log.warn("port mapping: cannot reach gateway {}: {}", target, e.toString());
      return;
    }
    gateway = target;
    InetAddress client = socket.localAddress().getAddress();
    PortMapper m = new PortMapper(client, random, new Findings());
    mapper = m;
    long now = io.nanoTime();
    m.add(MappedProtocol.TCP, tcpPort.getAsInt(), now);
    if (udpPort.getAsInt() > 0) {
      m.add(MappedProtocol.UDP, udpPort.getAsInt(), now);
    }
    log.info("port mapping: asking gateway {} from {}", target, client.getHostAddress());
    tick();
  }

  private void tick() {
    if (mapper == null) {
      return;
    }
    mapper.tick(io.nanoTime());
    reschedule();
  }

  private void reschedule() {
    if (mapper != null) {
      mapper.nextWake().ifPresent(wake::at);
    }
  }

  /** Returns the mappings in force. */
  public List<PortMapping> mappings() {
    List<PortMapping> all = new ArrayList<>();
    if (mapper != null) {
      for (PortMapper.ActiveMapping m : mapper.mappings()) {
        all.add(
            new PortMapping(
                m.protocol() == MappedProtocol.TCP
                    ? PortMapping.Protocol.TCP
                    : PortMapping.Protocol.UDP,
                m.internalPort(),
                m.externalPort(),
                Optional.ofNullable(m.externalAddress()),
                m.pcp() ? PortMapping.Method.PCP : PortMapping.Method.NAT_PMP,
                m.lifetimeSeconds()));
      }
    }
    return all;
  }

  /** Returns the gateway's external address, if it told us. */
  public Optional<InetAddress> externalAddress() {
    return mapper == null ? Optional.empty() : Optional.ofNullable(mapper.externalAddress());
  }

  /** Deletes the mappings (one datagram each) and closes the socket. */
  public void close() {
    wake.cancel();
    if (mapper != null) {
      mapper.deleteAll();
      mapper = null;
    }
    if (socket != null) {
      socket.close();
      socket = null;
    }
  }

  /** The gateway's datagrams. */
  private final class Handler implements EngineIo.DatagramHandler {
    @Override
    public void onDatagram(InetSocketAddress source, ByteBuffer data) {
      if (mapper == null) {
        return;
      }
      try {
        mapper.received(data, io.nanoTime());
      } catch (PortMapFormatException e) {
        log.debug("port mapping: ignored a datagram from {}: {}", source, e.getMessage());
      }
      reschedule();
    }

    @Override
    public void onError(IOException error) {
      // An ICMP "port unreachable": the gateway runs neither PCP nor NAT-PMP. The retransmissions
      // run out and say so.
      log.debug("port mapping: gateway {}: {}", gateway, error.toString());
    }
  }

  /** What the mapper finds, to the log and the socket. */
  private final class Findings implements PortMapper.Listener {
    @Override
    public void send(byte[] datagram) {
      if (socket == null || gateway == null) {
        return;
      }
      try {
        socket.send(ByteBuffer.wrap(datagram), gateway);
      } catch (IOException e) {
        log.debug("port mapping: cannot send to {}: {}", gateway, e.toString());
      }
    }

    @Override
    public void mapped(PortMapper.ActiveMapping m) {
      lastFailure = "";
      log.info(
          "port mapping: {} port {} is port {} of {} ({}, {} s)",
          m.protocol(),
          m.internalPort(),
          m.externalPort(),
          m.externalAddress() == null ? "the gateway" : m.externalAddress().getHostAddress(),
          m.pcp() ? "PCP" : "NAT-PMP",
          m.lifetimeSeconds());
    }

    @Override
    public void failed(MappedProtocol protocol, int internalPort, String reason) {
      // Once per reason: an absent gateway fails every few minutes for as long as the session runs.
      if (!reason.equals(lastFailure)) {
        lastFailure = reason;
        log.warn("port mapping: {} port {} not mapped: {}", protocol, internalPort, reason);
      }
    }

    @Override
    public void externalAddress(InetAddress address) {
      log.info("port mapping: the gateway's external address is {}", address.getHostAddress());
    }
  }
}
