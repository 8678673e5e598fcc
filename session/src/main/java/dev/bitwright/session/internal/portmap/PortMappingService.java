package dev.bitwright.session.internal.portmap;

import dev.bitwright.session.PortMapping;
import dev.bitwright.session.SessionConfig;
import dev.bitwright.session.internal.net.EngineIo;
import dev.bitwright.session.internal.net.EngineIo.UdpSocket;
import dev.bitwright.session.internal.net.WakeUp;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.IntSupplier;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session's port mappings on its gateway (the one the application named, or the default
 * route's): the TCP listening port and, when open, the UDP port. It asks by PCP and NAT-PMP first
 * (a {@link PortMapper} on the loop, with a UDP socket connected to the gateway's port 5351), and
 * by UPnP IGD ({@link UpnpMapper}) when the gateway refuses those, nothing listens on 5351, or PCP
 * goes unanswered; whichever maps first is kept and the other stopped. Closing deletes the
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
  private final Executor http;
  private final IntSupplier tcpPort;
  private final IntSupplier udpPort;
  private final WakeUp wake;
  private @Nullable UdpSocket socket;
  private @Nullable PortMapper mapper;
  private @Nullable UpnpMapper upnp;
  private @Nullable InetSocketAddress gateway;
  private @Nullable InetAddress client;
  private String lastFailure = "";

  /**
   * Port mapping for a session of {@code config} on {@code io}; {@code http} runs UPnP's HTTP,
   * {@code tcpPort} and {@code udpPort} are our listening ports (0 when closed).
   */
  public PortMappingService(
      EngineIo io,
      SessionConfig config,
      RandomGenerator random,
      Executor http,
      IntSupplier tcpPort,
      IntSupplier udpPort) {
    this.io = io;
    this.config = config;
    this.random = random;
    this.http = http;
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
    client = socket.localAddress().getAddress();
    PortMapper m = new PortMapper(client, random, new Findings());
    mapper = m;
    long now = io.nanoTime();
    ports().forEach((protocol, port) -> m.add(protocol, port, now));
    log.info("port mapping: asking gateway {} from {}", target, client.getHostAddress());
    tick();
  }

  /** The ports to map now: TCP's, and UDP's when it is open. */
  private Map<MappedProtocol, Integer> ports() {
    Map<MappedProtocol, Integer> ports = new EnumMap<>(MappedProtocol.class);
    ports.put(MappedProtocol.TCP, tcpPort.getAsInt());
    if (udpPort.getAsInt() > 0) {
      ports.put(MappedProtocol.UDP, udpPort.getAsInt());
    }
    return ports;
  }

  /**
   * Asks for the UDP port too if it opened since the mappings were asked for (uTP or the DHT turned
   * on while the session runs).
   */
  public void portsChanged() {
    int udp = udpPort.getAsInt();
    if (udp <= 0) {
      return;
    }
    if (mapper != null) {
      mapper.add(MappedProtocol.UDP, udp, io.nanoTime());
      tick();
    }
    if (upnp != null) {
      upnp.add(MappedProtocol.UDP, udp);
    }
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

  /** Asks by UPnP too, unless it runs already or PCP/NAT-PMP mapped something. */
  private void tryUpnp(String why) {
    if (upnp != null || gateway == null || client == null) {
      return;
    }
    if (mapper != null && !mapper.mappings().isEmpty()) {
      return;
    }
    log.info("port mapping: trying UPnP, as {}", why);
    UpnpMapper u = new UpnpMapper(io, http, gateway.getAddress(), client, new UpnpFindings());
    ports().forEach(u::add);
    upnp = u;
    u.start();
  }

  /** Returns the mappings in force. */
  public List<PortMapping> mappings() {
    List<PortMapper.ActiveMapping> active = new ArrayList<>();
    if (mapper != null) {
      active.addAll(mapper.mappings());
    }
    if (upnp != null) {
      active.addAll(upnp.mappings());
    }
    List<PortMapping> all = new ArrayList<>();
    for (PortMapper.ActiveMapping m : active) {
      all.add(
          new PortMapping(
              m.protocol() == MappedProtocol.TCP
                  ? PortMapping.Protocol.TCP
                  : PortMapping.Protocol.UDP,
              m.internalPort(),
              m.externalPort(),
              Optional.ofNullable(m.externalAddress()),
              m.method(),
              m.lifetimeSeconds()));
    }
    return all;
  }

  /** Returns the gateway's external address, if it told us. */
  public Optional<InetAddress> externalAddress() {
    if (mapper != null && mapper.externalAddress() != null) {
      return Optional.of(mapper.externalAddress());
    }
    return upnp == null ? Optional.empty() : Optional.ofNullable(upnp.externalAddress());
  }

  /**
   * Deletes the mappings and closes the socket; the future completes when a UPnP gateway answered
   * the deletions (PCP and NAT-PMP deletions are single datagrams, sent at once).
   */
  public CompletableFuture<Void> close() {
    wake.cancel();
    stopPcp();
    CompletableFuture<Void> done = CompletableFuture.completedFuture(null);
    if (upnp != null) {
      done = upnp.close();
      upnp = null;
    }
    return done;
  }

  private void stopPcp() {
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
      log.debug("port mapping: gateway {}: {}", gateway, error.toString());
      if (error instanceof PortUnreachableException) {
        tryUpnp("nothing answers PCP or NAT-PMP on the gateway");
      }
    }
  }

  /** What a protocol finds, to the log. */
  private class Logged implements PortMapper.Findings {
    @Override
    public void mapped(PortMapper.ActiveMapping m) {
      lastFailure = "";
      log.info(
          "port mapping: {} port {} is port {} of {} ({}, {} s)",
          m.protocol(),
          m.internalPort(),
          m.externalPort(),
          m.externalAddress() == null ? "the gateway" : m.externalAddress().getHostAddress(),
          m.method(),
          m.lifetimeSeconds());
    }

    @Override
    public void failed(MappedProtocol protocol, int internalPort, String reason) {
      // Once per reason: an absent gateway fails every few minutes for as long as the session
      // runs.
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

  /** What PCP and NAT-PMP find, and the datagrams they send. */
  private final class Findings extends Logged implements PortMapper.Listener {
    @Override
    public void send(byte[] datagram) {
      if (socket == null || gateway == null) {
        return;
      }
      try {
        socket.send(ByteBuffer.wrap(datagram), gateway);
      } catch (IOException e) {
        log.debug("port mapping: cannot send to {}: {}", gateway, e.toString());
        if (e instanceof PortUnreachableException) {
          tryUpnp("nothing answers PCP or NAT-PMP on the gateway");
        }
      }
    }

    @Override
    public void pcpUnanswered() {
      tryUpnp("PCP goes unanswered");
    }

    @Override
    public void mapped(PortMapper.ActiveMapping m) {
      super.mapped(m);
      if (upnp != null && upnp.mappings().isEmpty()) {
        upnp.close();
        upnp = null;
      }
    }

    @Override
    public void failed(MappedProtocol protocol, int internalPort, String reason) {
      super.failed(protocol, internalPort, reason);
      tryUpnp("PCP and NAT-PMP failed");
    }
  }

  /** What UPnP finds: the first mapping it makes stops PCP and NAT-PMP. */
  private final class UpnpFindings extends Logged {
    @Override
    public void mapped(PortMapper.ActiveMapping m) {
      super.mapped(m);
      if (mapper != null) {
        wake.cancel();
        stopPcp();
      }
    }
  }
}
