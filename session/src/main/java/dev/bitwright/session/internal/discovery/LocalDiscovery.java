package dev.bitwright.session.internal.discovery;

import com.google.common.hash.HashCode;
import com.google.common.net.InetAddresses;
import dev.bitwright.session.SessionConfig;
import dev.bitwright.session.internal.net.EngineIo;
import dev.bitwright.session.internal.net.EngineIo.MulticastSocket;
import dev.bitwright.session.internal.net.WakeUp;
import dev.bitwright.session.internal.telemetry.TorrentLog;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntSupplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Local Service Discovery (BEP 14) for a session: every running public torrent announced by
 * multicast to 239.192.152.143:6771 and, when the session listens on IPv6, [ff15::efc0:988f]:6771,
 * on each interface the session listens on ({@link LsdInterfaces}), when {@link LsdSchedule} says;
 * others' announces from those interfaces' networks become peers of our torrents with the same
 * info-hash. Our cookie marks our announces, so that ours coming back by multicast loopback are
 * ignored (another session on this host is still heard). Received announces are bounded: {@link
 * LsdAnnounce#decode}'s limits, and at most {@link #MAX_RECEIVED_PER_SECOND} a second. Private
 * torrents (BEP 27) are never announced and never take peers from here. Loop thread only.
 */
public final class LocalDiscovery {
  private static final Logger log = LoggerFactory.getLogger(LocalDiscovery.class);

  /** BEP 14's IPv4 group. */
  static final InetSocketAddress GROUP_V4 =
      new InetSocketAddress(InetAddresses.forString("239.192.152.143"), 6771);

  /** BEP 14's IPv6 group. */
  static final InetSocketAddress GROUP_V6 =
      new InetSocketAddress(InetAddresses.forString("ff15::efc0:988f"), 6771);

  // BEP 14's groups reach beyond one link and it suggests more than one hop; libtorrent sends 32.
  private static final int HOPS = 32;
  static final int MAX_RECEIVED_PER_SECOND = 50;
  private static final long SECOND_NANOS = 1_000_000_000L;

  /** One family's socket and where it runs. */
  private record Family(MulticastSocket socket, String host, LsdInterfaces interfaces) {}

  private final EngineIo io;
  private final InetAddress listenAddress;
  private final boolean ipv6;
  private final IntSupplier listenPort;
  private final LsdCounters counters;
  private final String cookie;
  private final LsdSchedule schedule = new LsdSchedule();
  private final Map<HashCode, DiscoveryTarget> byHash = new HashMap<>();
  private final Map<DiscoveryTarget, List<HashCode>> tracked = new HashMap<>();
  private final List<Family> families = new ArrayList<>();
  private final WakeUp wake;
  private boolean running;
  private long windowStart;
  private int windowCount;
  private boolean windowOpen;

  /**
   * Local discovery for a session of {@code config} on {@code io}; {@code listenPort} is our TCP
   * port (announced), {@code counters} count what it sends and hears.
   */
  public LocalDiscovery(
      EngineIo io,
      SessionConfig config,
      RandomGenerator random,
      IntSupplier listenPort,
      LsdCounters counters) {
    this.io = io;
    this.listenAddress = config.listenAddress();
    this.ipv6 = config.ipv6();
    this.listenPort = listenPort;
    this.counters = counters;
    this.cookie = Integer.toHexString(random.nextInt() & 0x7FFFFFFF);
    this.wake = new WakeUp(io, this::sendDue);
  }

  /** Opens a socket per family on the interfaces the session listens on, and starts announcing. */
  public void start() {
    running = true;
    open(false);
    open(true);
    if (families.isEmpty()) {
      log.info(
          "local peer discovery is on but finds no multicast interface for {}",
          listenAddress.getHostAddress());
      return;
    }
    reschedule();
  }

  private void open(boolean v6) {
    LsdInterfaces nics;
    try {
      nics = LsdInterfaces.of(listenAddress, ipv6, v6);
    } catch (SocketException e) {
      log.warn("local peer discovery cannot list the network interfaces: {}", e.toString());
      return;
    }
    if (nics.interfaces().isEmpty()) {
      return;
    }
    InetSocketAddress group = v6 ? GROUP_V6 : GROUP_V4;
    try {
      MulticastSocket socket =
          io.openMulticast(
              group, nics.interfaces(), HOPS, (source, data) -> received(nics, v6, source, data));
      String host = v6 ? "[ff15::efc0:988f]:6771" : "239.192.152.143:6771";
      families.add(new Family(socket, host, nics));
      log.info("local peer discovery on {} ({})", nics.names(), host);
    } catch (IOException e) {
      log.warn(
          "local peer discovery is off for {}: {}",
          group.getAddress().getHostAddress(),
          e.toString());
    }
  }

  /** Starts announcing {@code torrent}, unless it is private. */
  public void track(DiscoveryTarget torrent) {
    if (torrent.isPrivate() || tracked.containsKey(torrent)) {
      return;
    }
    List<HashCode> hashes = new ArrayList<>();
    long now = io.nanoTime();
    for (byte[] hash : torrent.allWireHashes()) {
      HashCode key = HashCode.fromBytes(hash);
      hashes.add(key);
      byHash.put(key, torrent);
      schedule.add(key, now);
    }
    tracked.put(torrent, hashes);
    reschedule();
  }

  /** Stops announcing {@code torrent}. */
  public void untrack(DiscoveryTarget torrent) {
    List<HashCode> hashes = tracked.remove(torrent);
    if (hashes == null) {
      return;
    }
    long now = io.nanoTime();
    for (HashCode key : hashes) {
      byHash.remove(key);
      schedule.remove(key, now);
    }
  }

  private void sendDue() {
    if (!running) {
      return;
    }
    List<HashCode> hashes = new ArrayList<>();
    for (HashCode key : schedule.take(io.nanoTime())) {
      DiscoveryTarget torrent = byHash.get(key);
      // A magnet's torrent learns that it is private with its metadata.
      if (torrent != null && !torrent.isPrivate()) {
        hashes.add(key);
      }
    }
    if (!hashes.isEmpty()) {
      send(new LsdAnnounce(listenPort.getAsInt(), hashes, Optional.of(cookie)));
    }
    reschedule();
  }

  private void send(LsdAnnounce announce) {
    for (Family family : families) {
      ByteBuffer datagram = ByteBuffer.wrap(announce.encode(family.host()));
      for (NetworkInterface nic : family.socket().interfaces()) {
        try {
          family.socket().send(datagram.duplicate(), nic);
          counters.sent++;
        } catch (IOException e) {
          // An interface gone down, say; the next announce tries again.
          log.debug("local peer discovery could not send on {}: {}", nic.getName(), e.toString());
        }
      }
    }
    log.debug("announced {} info-hashes on the local network", announce.infoHashes().size());
  }

  private void reschedule() {
    if (running && !families.isEmpty()) {
      schedule.nextDue().ifPresent(wake::at);
    }
  }

  private void received(
      LsdInterfaces nics, boolean v6, InetSocketAddress source, ByteBuffer datagram) {
    InetAddress from = source.getAddress();
    if (from instanceof Inet6Address != v6) {
      // An IPv4 announce that the dual-stack IPv6 socket sees as well: the IPv4 one handles it.
      return;
    }
    if (!nics.isLocal(from) || !withinRate()) {
      counters.ignored++;
      return;
    }
    LsdAnnounce announce;
    try {
      announce = LsdAnnounce.decode(datagram);
    } catch (LsdFormatException e) {
      counters.ignored++;
      log.debug(
          "ignored a local discovery datagram from {}: {}", from.getHostAddress(), e.getMessage());
      return;
    }
    if (announce.cookie().filter(cookie::equals).isPresent()) {
      return;
    }
    counters.received++;
    InetSocketAddress peer = new InetSocketAddress(from, announce.port());
    for (HashCode hash : announce.infoHashes()) {
      DiscoveryTarget torrent = byHash.get(hash);
      if (torrent != null && !torrent.isPrivate()) {
        TorrentLog.at(log, Level.DEBUG, torrent.logKey()).log(
            "{}: peer {} announced on the local network", torrent.name(), peer);
        torrent.addLocalPeer(peer);
      }
    }
  }

  /** Returns whether one more announce may be handled this second. */
  private boolean withinRate() {
    long now = io.nanoTime();
    if (!windowOpen || now - windowStart >= SECOND_NANOS) {
      windowOpen = true;
      windowStart = now;
      windowCount = 0;
    }
    return windowCount++ < MAX_RECEIVED_PER_SECOND;
  }

  /** Stops announcing and closes the sockets. */
  public void close() {
    running = false;
    wake.cancel();
    families.forEach(f -> f.socket().close());
    families.clear();
  }
}
