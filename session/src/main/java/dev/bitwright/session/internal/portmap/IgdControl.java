package dev.bitwright.session.internal.portmap;

import com.google.common.net.InetAddresses;
import com.google.common.xml.XmlEscapers;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.jspecify.annotations.Nullable;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * UPnP Internet Gateway Device control (IGD v1 and v2): finding the WANIPConnection or
 * WANPPPConnection service in a device description, and the SOAP actions AddPortMapping,
 * DeletePortMapping and GetExternalIPAddress with their answers. No I/O.
 *
 * <p>The gateway's XML is untrusted: it is bounded ({@link #MAX_XML} bytes) and parsed with
 * document type declarations refused, so that no entity is expanded and nothing external is read.
 */
final class IgdControl {
  static final int MAX_XML = 64 * 1024;
  static final String SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/";

  /** The services that map ports, best first. */
  private static final List<String> SERVICES =
      List.of(
          "urn:schemas-upnp-org:service:WANIPConnection:2",
          "urn:schemas-upnp-org:service:WANIPConnection:1",
          "urn:schemas-upnp-org:service:WANPPPConnection:1");

  /** A port mapping service of a gateway: where its actions are posted, and its type. */
  record Service(URI controlUrl, String type) {}

  private IgdControl() {}

  /**
   * Finds the port mapping service in a device description fetched from {@code location}.
   *
   * @throws PortMapFormatException if the XML is too long, malformed, has a DOCTYPE, or names no
   *     such service with a control URL on the description's host
   */
  static Service service(byte[] description, URI location) throws PortMapFormatException {
    Document doc = parse(description);
    URI base = location;
    String urlBase = firstText(doc.getDocumentElement(), "URLBase");
    if (urlBase != null && !urlBase.isBlank()) {
      base = uri(urlBase.trim());
    }
    NodeList services = doc.getElementsByTagNameNS("*", "service");
    for (String wanted : SERVICES) {
      for (int i = 0; i < services.getLength(); i++) {
        Element service = (Element) services.item(i);
        String type = firstText(service, "serviceType");
        String control = firstText(service, "controlURL");
        if (type != null && type.trim().equals(wanted) && control != null) {
          URI url = base.resolve(uri(control.trim()));
          // The control URL must be on the gateway that described it: an answer must not send
          // our SOAP requests elsewhere.
          if (!"http".equalsIgnoreCase(url.getScheme())
              || url.getHost() == null
              || !url.getHost().equalsIgnoreCase(location.getHost())) {
            throw new PortMapFormatException("a control URL off the gateway: " + url);
          }
          return new Service(url, wanted);
        }
      }
    }
    throw new PortMapFormatException("the description names no WANIPConnection service");
  }

  /** {@return the SOAP body of AddPortMapping} */
  static byte[] addPortMapping(
      String serviceType,
      MappedProtocol protocol,
      int externalPort,
      int internalPort,
      InetAddress client,
      String description,
      long leaseSeconds) {
    return envelope(
        serviceType,
        "AddPortMapping",
        "<NewRemoteHost></NewRemoteHost>"
            + "<NewExternalPort>"
            + externalPort
            + "</NewExternalPort>"
            + "<NewProtocol>"
            + protocol
            + "</NewProtocol>"
            + "<NewInternalPort>"
            + internalPort
            + "</NewInternalPort>"
            + "<NewInternalClient>"
            + client.getHostAddress()
            + "</NewInternalClient>"
            + "<NewEnabled>1</NewEnabled>"
            + "<NewPortMappingDescription>"
            + XmlEscapers.xmlContentEscaper().escape(description)
            + "</NewPortMappingDescription>"
            + "<NewLeaseDuration>"
            + leaseSeconds
            + "</NewLeaseDuration>");
  }

  /** {@return the SOAP body of DeletePortMapping} */
  static byte[] deletePortMapping(String serviceType, MappedProtocol protocol, int externalPort) {
    return envelope(
        serviceType,
        "DeletePortMapping",
        "<NewRemoteHost></NewRemoteHost>"
            + "<NewExternalPort>"
            + externalPort
            + "</NewExternalPort>"
            + "<NewProtocol>"
            + protocol
            + "</NewProtocol>");
  }

  /** {@return the SOAP body of GetExternalIPAddress} */
  static byte[] getExternalIpAddress(String serviceType) {
    return envelope(serviceType, "GetExternalIPAddress", "");
  }

  /** {@return the SOAPAction header of {@code action}} */
  static String soapAction(String serviceType, String action) {
    return "\"" + serviceType + "#" + action + "\"";
  }

  /**
   * Returns the external address of a GetExternalIPAddress answer.
   *
   * @throws PortMapFormatException if the answer is malformed or holds no IPv4 address
   */
  static InetAddress externalAddress(byte[] answer) throws PortMapFormatException {
    String text = firstText(parse(answer).getDocumentElement(), "NewExternalIPAddress");
    if (text == null
        || !text.trim().matches("\\d{1,3}(\\.\\d{1,3}){3}")
        || !InetAddresses.isInetAddress(text.trim())) {
      throw new PortMapFormatException("no external address in the answer");
    }
    return InetAddresses.forString(text.trim());
  }

  /**
   * Returns the UPnP error code of a SOAP fault, or -1 when the answer holds none.
   *
   * @throws PortMapFormatException if the answer is malformed XML
   */
  static int errorCode(byte[] answer) throws PortMapFormatException {
    String code = firstText(parse(answer).getDocumentElement(), "errorCode");
    if (code == null || !code.trim().matches("\\d{1,4}")) {
      return -1;
    }
    return Integer.parseInt(code.trim());
  }

  private static byte[] envelope(String serviceType, String action, String arguments) {
    return ("<?xml version=\"1.0\"?>\r\n"
            + "<s:Envelope xmlns:s=\""
            + SOAP_NS
            + "\" "
            + "s:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\">"
            + "<s:Body><u:"
            + action
            + " xmlns:u=\""
            + serviceType
            + "\">"
            + arguments
            + "</u:"
            + action
            + "></s:Body></s:Envelope>\r\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static Document parse(byte[] xml) throws PortMapFormatException {
    if (xml.length > MAX_XML) {
      throw new PortMapFormatException("XML of " + xml.length + " bytes");
    }
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setNamespaceAware(true);
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setFeature("http://xml.org/sax/features/external-general-entities", false);
      f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
      f.setXIncludeAware(false);
      f.setExpandEntityReferences(false);
      // Deep nesting is no description: bounded, so that nothing walks a 20,000-level tree.
      f.setAttribute("jdk.xml.maxElementDepth", 64);
      DocumentBuilder builder = f.newDocumentBuilder();
      // Silent: the default handler prints to standard error; failures come as exceptions.
      builder.setErrorHandler(new DefaultHandler());
      return builder.parse(new ByteArrayInputStream(xml));
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException("the JDK's XML parser lacks a safety feature", e);
    } catch (SAXException | IOException | RuntimeException e) {
      throw new PortMapFormatException("malformed XML: " + e.getMessage());
    }
  }

  /** Returns the text of the first element named {@code local} under {@code root}, or null. */
  private static @Nullable String firstText(Element root, String local) {
    NodeList found = root.getElementsByTagNameNS("*", local);
    if (found.getLength() == 0) {
      return null;
    }
    // Its own text only (no recursive walk of whatever a hostile gateway nests inside).
    StringBuilder text = new StringBuilder();
    for (Node child = found.item(0).getFirstChild();
        child != null;
        child = child.getNextSibling()) {
      if (child.getNodeType() == Node.TEXT_NODE || child.getNodeType() == Node.CDATA_SECTION_NODE) {
        text.append(child.getNodeValue());
      }
    }
    return text.toString();
  }

  private static URI uri(String text) throws PortMapFormatException {
    try {
      return new URI(text);
    } catch (URISyntaxException e) {
      throw new PortMapFormatException("a URL " + text);
    }
  }
}
