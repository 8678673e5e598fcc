package dev.bitwright.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.testsupport.TestHttpServer;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * UPnP IGD against a scripted gateway on 127.0.0.1 (SSDP on port 1900, description and control over
 * HTTP): what a real router may answer that miniupnpd does not — permanent leases only, a port
 * taken by another client, descriptions too large or pointing elsewhere. PCP and NAT-PMP find
 * nothing on the gateway's port 5351 (a closed UDP port: ICMP port unreachable), so the session
 * turns to UPnP at once.
 */
@Timeout(60)
class UpnpGatewayTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final String WAN_IP = "urn:schemas-upnp-org:service:WANIPConnection:1";

  /** Answers every M-SEARCH on 127.0.0.1:1900 with {@code location}. */
  private static final class SsdpResponder implements AutoCloseable {
    final DatagramSocket socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 1900));
    final AtomicInteger searches = new AtomicInteger();
    final Thread thread;

    SsdpResponder(String location) throws IOException {
      byte[] answer =
          ("HTTP/1.1 200 OK\r\nST: urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\n"
                  + "LOCATION: "
                  + location
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII);
      thread =
          new Thread(
              () -> {
                byte[] buffer = new byte[1500];
                while (!socket.isClosed()) {
                  try {
                    DatagramPacket p = new DatagramPacket(buffer, buffer.length);
                    socket.receive(p);
                    searches.incrementAndGet();
                    socket.send(new DatagramPacket(answer, answer.length, p.getSocketAddress()));
                  } catch (IOException e) {
                    return;
                  }
                }
              },
              "ssdp-responder");
      thread.setDaemon(true);
      thread.start();
    }

    @Override
    public void close() {
      socket.close();
      try {
        thread.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static byte[] description(String controlUrl) {
    return ("<?xml version=\"1.0\"?><root xmlns=\"urn:schemas-upnp-org:device-1-0\"><device>"
            + "<serviceList><service><serviceType>"
            + WAN_IP
            + "</serviceType>"
            + "<controlURL>"
            + controlUrl
            + "</controlURL></service></serviceList></device></root>")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] fault(int code) {
    return ("<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><s:Fault>"
            + "<faultcode>s:Client</faultcode><faultstring>UPnPError</faultstring><detail>"
            + "<UPnPError xmlns=\"urn:schemas-upnp-org:control-1-0\"><errorCode>"
            + code
            + "</errorCode></UPnPError></detail></s:Fault></s:Body></s:Envelope>")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** A UDP port on 127.0.0.1 that nothing listens on. */
  private static InetSocketAddress closedUdpPort() throws IOException {
    try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
      return new InetSocketAddress(LOOPBACK, s.getLocalPort());
    }
  }

  private static TorrentSession session() throws IOException {
    return TorrentSession.start(
        Swarm.config().portMappingGateway(closedUdpPort()).portMapping(true).build());
  }

  @Test
  void permanentLeasesOnlyAndATakenPortAreWorkedAround() throws Exception {
    AtomicInteger adds = new AtomicInteger();
    try (TestHttpServer http = TestHttpServer.start()) {
      http.route("/desc.xml", x -> x.send(200, description("/ctl")));
      http.route(
          "/ctl",
          x -> {
            String action = x.requestHeader("SOAPAction").orElse("");
            if (action.endsWith("#AddPortMapping\"")) {
              // 725 OnlyPermanentLeasesSupported, then 718 ConflictInMappingEntry, then yes.
              int n = adds.incrementAndGet();
              if (n == 1) {
                x.send(500, fault(725));
              } else if (n == 2) {
                x.send(500, fault(718));
              } else {
                x.send(200, "<ok/>".getBytes(StandardCharsets.UTF_8));
              }
            } else if (action.endsWith("#GetExternalIPAddress\"")) {
              x.send(
                  200,
                  "<r><NewExternalIPAddress>198.51.100.1</NewExternalIPAddress></r>"
                      .getBytes(StandardCharsets.UTF_8));
            } else {
              x.send(200, "<ok/>".getBytes(StandardCharsets.UTF_8));
            }
          });
      try (SsdpResponder ssdp = new SsdpResponder(http.url("/desc.xml"))) {
        int port;
        try (TorrentSession session = session()) {
          port = session.listenAddress().getPort();
          Swarm.await(
              Duration.ofSeconds(20),
              "a UPnP mapping with the external address",
              () ->
                  session.portMappings().stream()
                      .anyMatch(
                          m ->
                              m.protocol() == PortMapping.Protocol.TCP
                                  && m.externalAddress().isPresent()));
          PortMapping tcp =
              session.portMappings().stream()
                  .filter(m -> m.protocol() == PortMapping.Protocol.TCP)
                  .findFirst()
                  .orElseThrow();
          assertThat(tcp.method()).isEqualTo(PortMapping.Method.UPNP);
          assertThat(tcp.internalPort()).isEqualTo(port);
          assertThat(tcp.externalAddress()).contains(InetAddress.getByName("198.51.100.1"));
          assertThat(List.of(port, port + 1)).contains(tcp.externalPort());
          assertThat(session.externalAddress()).contains(InetAddress.getByName("198.51.100.1"));
          assertThat(ssdp.searches.get()).isPositive();
        }
        // Closing deleted them: DeletePortMapping went to the control URL.
        assertThat(http.hits("/ctl")).isGreaterThanOrEqualTo(adds.get() + 2);
      }
    }
  }

  @Test
  void aDescriptionTooLargeOrAControlUrlElsewhereMapsNothing() throws Exception {
    try (TestHttpServer http = TestHttpServer.start()) {
      http.route("/huge.xml", x -> x.send(200, new byte[200 * 1024]));
      http.route("/elsewhere.xml", x -> x.send(200, description("http://203.0.113.9/ctl")));
      for (String path : List.of("/huge.xml", "/elsewhere.xml")) {
        try (SsdpResponder ssdp = new SsdpResponder(http.url(path));
            TorrentSession session = session()) {
          Swarm.await(Duration.ofSeconds(10), "the description fetched", () -> http.hits(path) > 0);
          Thread.sleep(500);
          assertThat(ssdp.searches.get()).isPositive();
          assertThat(session.portMappings()).isEmpty();
          assertThat(session.failure()).isEmpty();
        }
      }
    }
  }
}
