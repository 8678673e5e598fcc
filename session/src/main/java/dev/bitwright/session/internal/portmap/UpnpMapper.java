package dev.bitwright.session.internal.portmap;

import dev.bitwright.session.PortMapping;
import dev.bitwright.session.internal.net.BoundedBody;
import dev.bitwright.session.internal.net.EngineIo;
import dev.bitwright.session.internal.net.EngineIo.UdpSocket;
import dev.bitwright.session.internal.net.EngineLoop;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Port mapping by UPnP IGD (v1 and v2) with one gateway: an SSDP search sent to the gateway's port
 * 1900 (UPnP Device Architecture 1.1 has devices answer a unicast search; tried three times over 7
 * s, and searched again when the control URL stops answering), its device description fetched from
 * the LOCATION it answers (which must be on the gateway), then AddPortMapping for each port through
 * the WANIPConnection (or WANPPPConnection) control URL, renewed at half the lease, and
 * GetExternalIPAddress. A gateway that only grants permanent mappings (error 725) gets lease 0 and
 * a refresh every 30 minutes; a port taken by another client (error 718) is asked for as the next
 * external port, up to three times. What the gateway sends is bounded ({@link BoundedBody}, {@link
 * IgdControl}); a failure is reported and tried again 5 minutes later. HTTP runs on the given
 * executor; every state change on the loop.
 */
final class UpnpMapper {
  private static final Logger log = LoggerFactory.getLogger(UpnpMapper.class);
  static final int SSDP_PORT = 1900;
  static final long LEASE_SECONDS = 3600;
  private static final int SEARCHES = 3;
  private static final long SECOND = 1_000_000_000L;
  private static final long PERMANENT_REFRESH_NANOS = 30 * 60 * SECOND;
  private static final long RETRY_LATER_NANOS = PortMapper.RETRY_LATER_NANOS;
  private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(5);
  private static final int MAX_CONFLICTS = 3;

  /** One port we want mapped. */
  private static final class Wanted {
    final MappedProtocol protocol;
    final int internalPort;
    int externalPort;
    long lease = LEASE_SECONDS;
    int conflicts;
    boolean inFlight;
    PortMapper.@Nullable ActiveMapping active;
    EngineLoop.@Nullable Timer timer;

    Wanted(MappedProtocol protocol, int internalPort) {
      this.protocol = protocol;
      this.internalPort = internalPort;
      this.externalPort = internalPort;
    }
  }

  /** A SOAP answer: the HTTP status and the body. */
  private record SoapAnswer(int status, byte[] body) {}

  private final EngineIo io;
  private final HttpClient http;
  private final InetAddress gateway;
  private final InetAddress client;
  private final PortMapper.Findings findings;
  private final List<Wanted> wanted = new ArrayList<>();
  private @Nullable UdpSocket socket;
  private EngineLoop.@Nullable Timer searchTimer;
  private int searches;
  private boolean describing;
  private IgdControl.@Nullable Service service;
  private @Nullable InetAddress external;
  private boolean closed;

  /**
   * A mapper asking {@code gateway} for the ports of {@code client}; HTTP runs on {@code executor}.
   */
  UpnpMapper(
      EngineIo io,
      Executor executor,
      InetAddress gateway,
      InetAddress client,
      PortMapper.Findings findings) {
    this.io = io;
    this.gateway = gateway;
    this.client = client;
    this.findings = findings;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            // The gateway is on the LAN: never through an HTTP proxy the JVM may be set up with.
            .proxy(HttpClient.Builder.NO_PROXY)
            .connectTimeout(HTTP_TIMEOUT)
            .executor(executor)
            .build();
  }

  /** Wants {@code internalPort} of {@code protocol} mapped, now or once the gateway is found. */
  void add(MappedProtocol protocol, int internalPort) {
    for (Wanted w : wanted) {
      if (w.protocol == protocol && w.internalPort == internalPort) {
        return;
      }
    }
    Wanted w = new Wanted(protocol, internalPort);
    wanted.add(w);
    if (service != null) {
      addMapping(w);
    }
  }

  /** Searches for the gateway's IGD. */
  void start() {
    if (closed) {
      return;
    }
    searches = 0;
    describing = false;
    try {
      socket = io.openUdp(new InetSocketAddress(client, 0), this::ssdpAnswer);
    } catch (IOException e) {
      failAll("cannot search for a UPnP gateway: " + e.getMessage());
      return;
    }
    search();
  }

  private void search() {
    searchTimer = null;
    if (closed || describing || socket == null) {
      return;
    }
    if (searches == SEARCHES) {
      socket.close();
      socket = null;
      failAll("no UPnP gateway answered");
      searchTimer = io.schedule(RETRY_LATER_NANOS, this::start);
      return;
    }
    try {
      socket.send(ByteBuffer.wrap(SsdpSearch.request()), new InetSocketAddress(gateway, SSDP_PORT));
    } catch (IOException e) {
      log.debug("port mapping: SSDP search to {}: {}", gateway, e.toString());
    }
    searchTimer = io.schedule(SECOND << searches, this::search);
    searches++;
  }

  private void ssdpAnswer(InetSocketAddress source, ByteBuffer answer) {
    if (closed || describing || !source.getAddress().equals(gateway)) {
      return;
    }
    URI location;
    try {
      location = SsdpSearch.location(answer);
    } catch (PortMapFormatException e) {
      log.debug("port mapping: ignored an SSDP answer from {}: {}", source, e.getMessage());
      return;
    }
    if (!gateway.getHostAddress().equals(location.getHost())) {
      log.debug("port mapping: ignored a LOCATION off the gateway: {}", location);
      return;
    }
    describing = true;
    if (searchTimer != null) {
      searchTimer.cancel();
      searchTimer = null;
    }
    HttpRequest request = HttpRequest.newBuilder(location).timeout(HTTP_TIMEOUT).GET().build();
    bounded(http.sendAsync(request, BoundedBody.capped(IgdControl.MAX_XML, UpnpMapper::tooLong)))
        .whenComplete(
            (response, error) ->
                io.execute(
                    () ->
                        described(
                            location,
                            response == null ? null : response.body(),
                            response == null ? 0 : response.statusCode(),
                            error)));
  }

  private void described(URI location, byte @Nullable [] body, int status, @Nullable Throwable e) {
    if (socket != null) {
      socket.close();
      socket = null;
    }
    if (closed) {
      return;
    }
    try {
      if (e != null || body == null || status != 200) {
        throw new PortMapFormatException(e != null ? e.toString() : "HTTP " + status);
      }
      service = IgdControl.service(body, location);
    } catch (PortMapFormatException failure) {
      failAll("the UPnP gateway's description at " + location + ": " + failure.getMessage());
      searchTimer = io.schedule(RETRY_LATER_NANOS, this::start);
      return;
    }
    log.debug("port mapping: UPnP {} at {}", service.type(), service.controlUrl());
    wanted.forEach(this::addMapping);
    soap("GetExternalIPAddress", IgdControl.getExternalIpAddress(service.type()))
        .whenComplete((answer, error) -> io.execute(() -> externalAddressAnswer(answer)));
  }

  private void externalAddressAnswer(@Nullable SoapAnswer answer) {
    if (closed || answer == null || answer.status() != 200) {
      return;
    }
    try {
      InetAddress address = IgdControl.externalAddress(answer.body());
      if (!address.equals(external)) {
        external = address;
        findings.externalAddress(address);
        for (Wanted w : wanted) {
          if (w.active != null) {
            w.active = withAddress(w.active, address);
            findings.mapped(w.active);
          }
        }
      }
    } catch (PortMapFormatException e) {
      log.debug("port mapping: GetExternalIPAddress: {}", e.getMessage());
    }
  }

  private void addMapping(Wanted w) {
    w.timer = null;
    if (closed || service == null) {
      return;
    }
    byte[] body =
        IgdControl.addPortMapping(
            service.type(),
            w.protocol,
            w.externalPort,
            w.internalPort,
            client,
            "Bitwright " + w.protocol + " " + w.internalPort,
            w.lease);
    w.inFlight = true;
    soap("AddPortMapping", body)
        .whenComplete((answer, error) -> io.execute(() -> added(w, answer, error)));
  }

  private void added(Wanted w, @Nullable SoapAnswer answer, @Nullable Throwable error) {
    w.inFlight = false;
    if (closed) {
      return;
    }
    if (answer != null && answer.status() == 200) {
      PortMapper.ActiveMapping before = w.active;
      w.active =
          new PortMapper.ActiveMapping(
              w.protocol,
              w.internalPort,
              w.externalPort,
              external,
              PortMapping.Method.UPNP,
              w.lease == 0 ? PERMANENT_REFRESH_NANOS / SECOND : w.lease);
      if (!w.active.equals(before)) {
        findings.mapped(w.active);
      }
      long renewIn = w.lease == 0 ? PERMANENT_REFRESH_NANOS : w.lease * SECOND / 2;
      w.timer = io.schedule(renewIn, () -> addMapping(w));
      return;
    }
    int code = -1;
    if (answer != null) {
      try {
        code = IgdControl.errorCode(answer.body());
      } catch (PortMapFormatException e) {
        log.debug("port mapping: AddPortMapping fault: {}", e.getMessage());
      }
    }
    if (code == 725 && w.lease != 0) {
      // OnlyPermanentLeasesSupported: ask again for a mapping without lease.
      w.lease = 0;
      addMapping(w);
      return;
    }
    if (code == 718 && w.conflicts < MAX_CONFLICTS) {
      // ConflictInMappingEntry: another client holds the port; take the next one.
      w.conflicts++;
      w.externalPort = w.externalPort == 0xFFFF ? 1024 : w.externalPort + 1;
      addMapping(w);
      return;
    }
    String reason =
        error != null
            ? "UPnP AddPortMapping: " + error
            : code > 0
                ? "the UPnP gateway refused (error " + code + ")"
                : "the UPnP gateway answered HTTP " + Objects.requireNonNull(answer).status();
    w.active = null;
    findings.failed(w.protocol, w.internalPort, reason);
    if (error != null) {
      // The control URL does not answer: the gateway may have restarted on another HTTP port
      // (miniupnpd picks one at random), so search for it again rather than ask the old URL.
      rediscoverLater();
      return;
    }
    w.timer = io.schedule(RETRY_LATER_NANOS, () -> addMapping(w));
  }

  private void rediscoverLater() {
    if (service == null) {
      return;
    }
    service = null;
    for (Wanted other : wanted) {
      if (other.timer != null) {
        other.timer.cancel();
        other.timer = null;
      }
    }
    searchTimer = io.schedule(RETRY_LATER_NANOS, this::start);
  }

  private CompletableFuture<SoapAnswer> soap(String action, byte[] body) {
    IgdControl.Service s = Objects.requireNonNull(service);
    HttpRequest request =
        HttpRequest.newBuilder(s.controlUrl())
            .timeout(HTTP_TIMEOUT)
            .header("Content-Type", "text/xml; charset=\"utf-8\"")
            .header("SOAPAction", IgdControl.soapAction(s.type(), action))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    return bounded(
            http.sendAsync(request, BoundedBody.capped(IgdControl.MAX_XML, UpnpMapper::tooLong)))
        .thenApply(response -> new SoapAnswer(response.statusCode(), response.body()));
  }

  private static IOException tooLong() {
    return new IOException("an answer longer than " + IgdControl.MAX_XML + " bytes");
  }

  /** Bounds a whole exchange in time: a gateway that drips its answer does not hold us. */
  private static <T> CompletableFuture<T> bounded(CompletableFuture<T> exchange) {
    return exchange.orTimeout(2 * HTTP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  private void failAll(String reason) {
    for (Wanted w : wanted) {
      w.active = null;
      findings.failed(w.protocol, w.internalPort, reason);
    }
  }

  private static PortMapper.ActiveMapping withAddress(
      PortMapper.ActiveMapping m, InetAddress address) {
    return new PortMapper.ActiveMapping(
        m.protocol(), m.internalPort(), m.externalPort(), address, m.method(), m.lifetimeSeconds());
  }

  /** Returns the mappings in force. */
  List<PortMapper.ActiveMapping> mappings() {
    List<PortMapper.ActiveMapping> all = new ArrayList<>();
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

  /**
   * Stops, and deletes the mappings in force; the future completes when the gateway answered the
   * deletions (or after a second).
   */
  CompletableFuture<Void> close() {
    closed = true;
    if (searchTimer != null) {
      searchTimer.cancel();
    }
    if (socket != null) {
      socket.close();
      socket = null;
    }
    List<CompletableFuture<?>> deletions = new ArrayList<>();
    for (Wanted w : wanted) {
      if (w.timer != null) {
        w.timer.cancel();
      }
      // One asked for and not answered yet may be granted on its way: delete it as well.
      if ((w.active != null || w.inFlight) && service != null) {
        deletions.add(
            soap(
                "DeletePortMapping",
                IgdControl.deletePortMapping(service.type(), w.protocol, w.externalPort)));
        w.active = null;
      }
    }
    return CompletableFuture.allOf(deletions.toArray(CompletableFuture[]::new))
        .exceptionally(e -> null)
        .completeOnTimeout(null, 1, TimeUnit.SECONDS);
  }
}
