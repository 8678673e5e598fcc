package dev.bitwright.session.internal.portmap;

import com.google.common.hash.HashCode;
import dev.bitwright.session.PortMapping;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * The client side of port mapping with one gateway, sans I/O: datagrams and times (nanoseconds of
 * an injected clock) in, datagrams and findings out through a {@link Listener}.
 *
 * <p>It speaks PCP (RFC 6887) first and falls back to NAT-PMP (RFC 6886) when the gateway answers
 * "unsupported version" in version 0, or does not answer PCP at all within {@value #PCP_ATTEMPTS}
 * tries. Requests are sent again after 250 ms, doubling each time (RFC 6886, section 3.1): PCP
 * {@value #PCP_ATTEMPTS} times, NAT-PMP {@value #NAT_PMP_ATTEMPTS} times (about two minutes), then
 * it reports the failure and tries again from PCP {@link #RETRY_LATER_NANOS 5 minutes} later; a
 * refusal is retried as late. Mappings are asked for {@value #LIFETIME_SECONDS} s and renewed at
 * half their lifetime; one that expires unrenewed is reported lost and asked for again. The
 * gateway's epoch is checked on every answer (RFC 6887, section 8.5): a gateway that restarted or
 * lost its state has every mapping asked for again at once. PCP's own retransmission timing (RFC
 * 6887, section 8.1.1: 3 s, then up to 1,024 s) is not followed on purpose: a gateway that does not
 * answer PCP within 4 s is taken not to speak it, so that NAT-PMP (and UPnP, which the session
 * tries then) are not kept waiting. Not thread-safe.
 */
final class PortMapper {
  /** What a mapper finds: mappings made, lost or refused, and the gateway's external address. */
  interface Findings {
    /** A mapping was made or renewed (its external port or address may have changed). */
    void mapped(ActiveMapping mapping);

    /** A mapping could not be made, or was lost; it is asked for again later. */
    void failed(MappedProtocol protocol, int internalPort, String reason);

    /** The gateway told us its external address. */
    void externalAddress(InetAddress address);
  }

  /** Where the mapper's datagrams and findings go. */
  interface Listener extends Findings {
    /** Sends {@code datagram} to the gateway. */
    void send(byte[] datagram);

    /**
     * PCP went unanswered: the mapper tries NAT-PMP now, and another protocol may be worth a try.
     */
    void pcpUnanswered();
  }

  /** A mapping in force. */
  record ActiveMapping(
      MappedProtocol protocol,
      int internalPort,
      int externalPort,
      @Nullable InetAddress externalAddress,
      PortMapping.Method method,
      long lifetimeSeconds) {}

  static final long LIFETIME_SECONDS = 7200;
  static final int PCP_ATTEMPTS = 4;
  static final int NAT_PMP_ATTEMPTS = 9;
  static final long FIRST_RETRANSMIT_NANOS = 250_000_000L;
  static final long RETRY_LATER_NANOS = 5 * 60 * 1_000_000_000L;
  private static final long SECOND = 1_000_000_000L;

  // Result codes by number: RFC 6887, section 7.4, and RFC 6886, section 3.5.
  private static final String[] PCP_RESULTS = {
    "success",
    "unsupported version",
    "not authorized",
    "malformed request",
    "unsupported opcode",
    "unsupported option",
    "malformed option",
    "network failure",
    "out of resources",
    "unsupported protocol",
    "user over quota",
    "cannot provide the external port",
    "address mismatch (another NAT between us and the gateway?)",
    "excessive remote peers"
  };
  private static final String[] NAT_PMP_RESULTS = {
    "success",
    "unsupported version",
    "not authorized or refused",
    "network failure",
    "out of resources",
    "unsupported opcode"
  };

  /** One mapping we want, and where its request stands. */
  private static final class Wanted {
    final MappedProtocol protocol;
    final int internalPort;
    final HashCode nonce;
    @Nullable ActiveMapping active;
    long expiresAt;
    boolean requesting;
    int attempts;
    long nextSend;
    long nextRequest;

    Wanted(MappedProtocol protocol, int internalPort, HashCode nonce, long now) {
      this.protocol = protocol;
      this.internalPort = internalPort;
      this.nonce = nonce;
      this.nextRequest = now;
    }
  }

  private final InetAddress client;
  private final RandomGenerator random;
  private final Listener listener;
  private final List<Wanted> wanted = new ArrayList<>();
  private boolean pcp = true;
  private @Nullable InetAddress external;
  private boolean knowEpoch;
  private long lastEpoch;
  private long lastEpochAt;

  /**
   * A mapper for a client at {@code client} (the source address of our datagrams, as PCP asks);
   * {@code random} makes the PCP nonces.
   */
  PortMapper(InetAddress client, RandomGenerator random, Listener listener) {
    this.client = client;
    this.random = random;
    this.listener = listener;
  }

  /** Wants {@code internalPort} of {@code protocol} mapped, from {@code now} on. */
  void add(MappedProtocol protocol, int internalPort, long now) {
    for (Wanted w : wanted) {
      if (w.protocol == protocol && w.internalPort == internalPort) {
        return;
      }
    }
    byte[] nonce = new byte[PcpCodec.NONCE_BYTES];
    random.nextBytes(nonce);
    wanted.add(new Wanted(protocol, internalPort, HashCode.fromBytes(nonce), now));
  }

  /** Returns the mappings in force. */
  List<ActiveMapping> mappings() {
    List<ActiveMapping> all = new ArrayList<>();
    for (Wanted w : wanted) {
      if (w.active != null) {
        all.add(w.active);
      }
    }
    return all;
  }

  /** Returns the gateway's external address, if it told us. */
  @Nullable InetAddress externalAddress() {
    return external;
  }

  /** Returns whether the mapper speaks PCP to the gateway (else NAT-PMP). */
  boolean speaksPcp() {
    return pcp;
  }

  /** Sends what is due at {@code now}: requests, retransmissions, renewals; reports expiries. */
  void tick(long now) {
    for (Wanted w : wanted) {
      if (w.active != null && now - w.expiresAt >= 0) {
        w.active = null;
        listener.failed(w.protocol, w.internalPort, "the mapping expired unrenewed");
      }
      if (!w.requesting && now - w.nextRequest >= 0) {
        w.requesting = true;
        w.attempts = 0;
        w.nextSend = now;
      }
    }
    for (Wanted w : List.copyOf(wanted)) {
      if (w.requesting && now - w.nextSend >= 0) {
        if (w.attempts == (pcp ? PCP_ATTEMPTS : NAT_PMP_ATTEMPTS)) {
          if (pcp) {
            fallBackToNatPmp(now);
            listener.pcpUnanswered();
            tick(now);
            return;
          }
          gaveUp(w, now, "no answer from the gateway");
          continue;
        }
        send(w);
        w.nextSend = now + (FIRST_RETRANSMIT_NANOS << w.attempts);
        w.attempts++;
      }
    }
  }

  private void send(Wanted w) {
    long lifetime = LIFETIME_SECONDS;
    int suggested = w.active != null ? w.active.externalPort() : w.internalPort;
    if (pcp) {
      listener.send(
          PcpCodec.mapRequest(
              w.nonce,
              w.protocol,
              w.internalPort,
              suggested,
              lifetime,
              client,
              w.active != null ? w.active.externalAddress() : null));
    } else {
      listener.send(NatPmpCodec.mapRequest(w.protocol, w.internalPort, suggested, lifetime));
      if (external == null && w == wanted.get(0)) {
        listener.send(NatPmpCodec.externalAddressRequest());
      }
    }
  }

  private void fallBackToNatPmp(long now) {
    pcp = false;
    for (Wanted w : wanted) {
      if (w.requesting) {
        w.attempts = 0;
        w.nextSend = now;
      }
    }
  }

  private void gaveUp(Wanted w, long now, String reason) {
    w.requesting = false;
    w.nextRequest = now + RETRY_LATER_NANOS;
    if (wanted.stream().noneMatch(o -> o.requesting)) {
      // The next round starts over from PCP: the gateway may have changed meanwhile.
      pcp = true;
    }
    listener.failed(w.protocol, w.internalPort, reason);
  }

  /**
   * Handles a datagram from the gateway.
   *
   * @throws PortMapFormatException if it is not a well-formed PCP or NAT-PMP response
   */
  void received(ByteBuffer datagram, long now) throws PortMapFormatException {
    GatewayResponse response = PcpCodec.decode(datagram);
    if (!(response instanceof GatewayResponse.VersionNotSupported) && stateLost(response, now)) {
      for (Wanted w : wanted) {
        if (w.active != null || w.requesting) {
          w.requesting = true;
          w.attempts = 0;
          w.nextSend = now;
        }
      }
    }
    if (response instanceof GatewayResponse.VersionNotSupported) {
      // Said in version 0, so the gateway speaks NAT-PMP: one said to NAT-PMP is a late answer to
      // one of our PCP requests.
      if (pcp) {
        fallBackToNatPmp(now);
      }
    } else if (response instanceof GatewayResponse.NatPmpAddress a) {
      if (a.result() == 0 && !a.externalAddress().equals(external)) {
        external = a.externalAddress();
        listener.externalAddress(a.externalAddress());
      }
    } else if (response instanceof GatewayResponse.Mapping m) {
      mappingAnswer(m, now);
    }
    // A PCP ANNOUNCE: only its epoch matters, checked above.
  }

  private void mappingAnswer(GatewayResponse.Mapping m, long now) {
    Wanted w = null;
    for (Wanted candidate : wanted) {
      if (candidate.protocol == m.protocol()
          && candidate.internalPort == m.internalPort()
          && (!m.pcp() || candidate.nonce.equals(m.nonce()))) {
        w = candidate;
      }
    }
    if (w == null && !m.pcp() && m.result() != 0) {
      // An error answer of NAT-PMP may leave the ports out: it is for the one protocol asked.
      for (Wanted candidate : wanted) {
        if (candidate.protocol == m.protocol() && candidate.requesting) {
          w = candidate;
        }
      }
    }
    if (w == null || !w.requesting || m.pcp() != pcp) {
      return;
    }
    w.requesting = false;
    if (m.result() != 0 || m.lifetimeSeconds() == 0 || m.externalPort() == 0) {
      w.nextRequest = now + RETRY_LATER_NANOS;
      listener.failed(w.protocol, w.internalPort, refusal(m));
      return;
    }
    InetAddress address = m.pcp() ? m.externalAddress() : external;
    if (m.pcp()
        && m.externalAddress() != null
        && !m.externalAddress().isAnyLocalAddress()
        && !m.externalAddress().equals(external)) {
      external = m.externalAddress();
      listener.externalAddress(m.externalAddress());
    }
    ActiveMapping before = w.active;
    w.active =
        new ActiveMapping(
            w.protocol,
            w.internalPort,
            m.externalPort(),
            address,
            m.pcp() ? PortMapping.Method.PCP : PortMapping.Method.NAT_PMP,
            m.lifetimeSeconds());
    w.expiresAt = now + m.lifetimeSeconds() * SECOND;
    w.nextRequest = now + m.lifetimeSeconds() * SECOND / 2;
    if (before == null
        || before.externalPort() != m.externalPort()
        || !Objects.equals(before.externalAddress(), address)) {
      listener.mapped(w.active);
    }
  }

  private static String refusal(GatewayResponse.Mapping m) {
    if (m.result() == 0) {
      return "the gateway granted no port";
    }
    String[] names = m.pcp() ? PCP_RESULTS : NAT_PMP_RESULTS;
    String name = m.result() < names.length ? names[m.result()] : "result " + m.result();
    return "the gateway refused (" + (m.pcp() ? "PCP" : "NAT-PMP") + ": " + name + ")";
  }

  /**
   * Checks the gateway's epoch against the last one (RFC 6887, section 8.5; RFC 6886, section 3.6);
   * returns whether the gateway lost its mappings.
   */
  private boolean stateLost(GatewayResponse response, long now) {
    long epoch = response.epoch();
    if (!knowEpoch) {
      knowEpoch = true;
      lastEpoch = epoch;
      lastEpochAt = now;
      return false;
    }
    long clientDelta = (now - lastEpochAt) / SECOND;
    long serverDelta = epoch - lastEpoch;
    boolean lost =
        epoch < lastEpoch - 1
            || clientDelta + 2 < serverDelta - serverDelta / 16
            || serverDelta + 2 < clientDelta - clientDelta / 16;
    lastEpoch = epoch;
    lastEpochAt = now;
    return lost;
  }

  /** Returns when {@link #tick} has something to do next, if anything is wanted. */
  OptionalLong nextWake() {
    OptionalLong earliest = OptionalLong.empty();
    for (Wanted w : wanted) {
      long at = w.requesting ? w.nextSend : w.nextRequest;
      if (w.active != null && w.expiresAt - at < 0) {
        at = w.expiresAt;
      }
      if (earliest.isEmpty() || at - earliest.getAsLong() < 0) {
        earliest = OptionalLong.of(at);
      }
    }
    return earliest;
  }

  /**
   * Deletes every mapping in force or asked for (one request each, not retransmitted: the session
   * is closing) and forgets them.
   */
  void deleteAll() {
    for (Wanted w : wanted) {
      if (w.active == null && !w.requesting) {
        continue;
      }
      if (pcp) {
        listener.send(PcpCodec.mapRequest(w.nonce, w.protocol, w.internalPort, 0, 0, client, null));
      } else {
        listener.send(NatPmpCodec.mapRequest(w.protocol, w.internalPort, 0, 0));
      }
    }
    wanted.clear();
  }
}
