package dev.bitwright.session.internal.portmap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.net.InetAddresses;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * SSDP and IGD control on a real gateway's answers (miniupnpd 2.3.1, see
 * src/test/resources/portmap) and on hostile ones: entity expansion, external entities, huge
 * documents, control URLs pointing elsewhere.
 */
class UpnpCodecTest {
  private static final URI LOCATION = URI.create("http://10.250.0.1:5000/rootDesc.xml");

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = UpnpCodecTest.class.getResourceAsStream("/portmap/" + name)) {
      return in.readAllBytes();
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void readsTheLocationOfMiniupnpdsSsdpAnswer() throws Exception {
    assertThat(SsdpSearch.location(ByteBuffer.wrap(resource("miniupnpd-2.3.1-ssdp.txt"))))
        .isEqualTo(LOCATION);
  }

  @Test
  void rejectsSsdpAnswersThatAreNotOne() {
    for (String bad :
        new String[] {
          "",
          "HTTP/1.1 404 Not Found\r\nLOCATION: http://10.0.0.1/x\r\n\r\n",
          "NOTIFY * HTTP/1.1\r\nLOCATION: http://10.0.0.1/x\r\n\r\n",
          "HTTP/1.1 200 OK\r\nST: x\r\n\r\n",
          "HTTP/1.1 200 OK\r\nLOCATION: file:///etc/passwd\r\n\r\n",
          "HTTP/1.1 200 OK\r\nLOCATION: http://[bad\r\n\r\n",
          "HTTP/1.1 200 OK\r\nX: " + "y".repeat(600) + "\r\nLOCATION: http://10.0.0.1/\r\n\r\n",
          "HTTP/1.1 200 OK\r\n" + "X: y\r\n".repeat(500),
        }) {
      assertThatThrownBy(() -> SsdpSearch.location(ByteBuffer.wrap(utf8(bad))))
          .as(bad.length() > 60 ? bad.substring(0, 60) : bad)
          .isInstanceOf(PortMapFormatException.class);
    }
  }

  @Test
  void findsWanIpConnection2InMiniupnpdsDescription() throws Exception {
    IgdControl.Service s = IgdControl.service(resource("miniupnpd-2.3.1-rootDesc.xml"), LOCATION);
    assertThat(s.type()).isEqualTo("urn:schemas-upnp-org:service:WANIPConnection:2");
    assertThat(s.controlUrl()).isEqualTo(URI.create("http://10.250.0.1:5000/ctl/IPConn"));
  }

  @Test
  void findsAnIgd1ServiceUnderUrlBase() throws Exception {
    String description =
        "<?xml version=\"1.0\"?><root xmlns=\"urn:schemas-upnp-org:device-1-0\">"
            + "<URLBase>http://10.250.0.1:49000/</URLBase><device><deviceList><device>"
            + "<serviceList><service>"
            + "<serviceType>urn:schemas-upnp-org:service:WANPPPConnection:1</serviceType>"
            + "<controlURL>upnp/control/WANPPPConn1</controlURL></service></serviceList>"
            + "</device></deviceList></device></root>";
    IgdControl.Service s = IgdControl.service(utf8(description), LOCATION);
    assertThat(s.type()).isEqualTo("urn:schemas-upnp-org:service:WANPPPConnection:1");
    assertThat(s.controlUrl())
        .isEqualTo(URI.create("http://10.250.0.1:49000/upnp/control/WANPPPConn1"));
  }

  @Test
  void rejectsHostileDescriptions() {
    String service =
        "<service><serviceType>urn:schemas-upnp-org:service:WANIPConnection:1</serviceType>"
            + "<controlURL>%s</controlURL></service>";
    String[] hostile = {
      // Entity expansion ("billion laughs") and an external entity: no DOCTYPE is accepted.
      "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]>"
          + "<root>&b;</root>",
      "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><root>&x;"
          + "</root>",
      // A control URL on another host, or not on http.
      "<root>" + String.format(service, "http://203.0.113.9/ctl") + "</root>",
      "<root>" + String.format(service, "file:///etc/passwd") + "</root>",
      "<root><URLBase>http://evil.example/</URLBase>" + String.format(service, "/ctl") + "</root>",
      // No port mapping service, malformed XML, and a document larger than the bound.
      "<root><service><serviceType>urn:x</serviceType><controlURL>/c</controlURL></service></root>",
      "<root><service>",
      "<root>" + " ".repeat(IgdControl.MAX_XML) + "</root>",
      // Nesting deeper than any description, which a recursive walk would choke on.
      "<root>" + "<a>".repeat(5000) + "</a>".repeat(5000) + "</root>",
    };
    for (String xml : hostile) {
      assertThatThrownBy(() -> IgdControl.service(utf8(xml), LOCATION))
          .as(xml.length() > 80 ? xml.substring(0, 80) : xml)
          .isInstanceOf(PortMapFormatException.class);
    }
  }

  @Test
  void readsMiniupnpdsAnswers() throws Exception {
    assertThat(IgdControl.errorCode(resource("miniupnpd-2.3.1-fault-718.xml"))).isEqualTo(718);
    assertThat(IgdControl.externalAddress(resource("miniupnpd-2.3.1-external-ip.xml")))
        .isEqualTo(InetAddresses.forString("11.250.0.1"));
    assertThat(IgdControl.errorCode(resource("miniupnpd-2.3.1-external-ip.xml"))).isEqualTo(-1);
    assertThatThrownBy(
            () ->
                IgdControl.externalAddress(
                    utf8("<r><NewExternalIPAddress>evil.example</NewExternalIPAddress></r>")))
        .isInstanceOf(PortMapFormatException.class);
  }

  @Test
  void writesTheSoapActionsAsIgdSays() {
    String add =
        new String(
            IgdControl.addPortMapping(
                "urn:schemas-upnp-org:service:WANIPConnection:1",
                MappedProtocol.UDP,
                6882,
                6881,
                InetAddresses.forString("192.168.1.20"),
                "Bitwright <UDP>",
                3600),
            StandardCharsets.UTF_8);
    assertThat(add)
        .contains("<u:AddPortMapping xmlns:u=\"urn:schemas-upnp-org:service:WANIPConnection:1\">")
        .contains("<NewExternalPort>6882</NewExternalPort><NewProtocol>UDP</NewProtocol>")
        .contains("<NewInternalPort>6881</NewInternalPort>")
        .contains("<NewInternalClient>192.168.1.20</NewInternalClient>")
        .contains("<NewPortMappingDescription>Bitwright &lt;UDP&gt;</NewPortMappingDescription>")
        .contains("<NewLeaseDuration>3600</NewLeaseDuration>");
    assertThat(IgdControl.soapAction("urn:x:1", "DeletePortMapping"))
        .isEqualTo("\"urn:x:1#DeletePortMapping\"");
  }
}
