package dev.bitwright.examples;

import dev.bitwright.session.SessionConfig;
import dev.bitwright.wire.EncryptionPolicy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The options shared by {@code download} and {@code seed}. */
final class TransferOptions {
  String target;
  Path dir;
  final List<InetSocketAddress> peers = new ArrayList<>();
  int port;
  InetAddress listen;
  EncryptionPolicy encryption = EncryptionPolicy.ENABLED;
  boolean seedAfter;
  Duration timeout;
  boolean dht;
  boolean lsd;
  boolean portMapping;
  InetSocketAddress gateway;
  final List<InetSocketAddress> dhtBootstrap = new ArrayList<>();
  final List<URI> webSeeds = new ArrayList<>();
  boolean linkedWebSeeds = true;
  boolean seedMode;
  boolean utp = true;
  Path trace;
  Path jfr;
  boolean tcp = true;

  static TransferOptions parse(Arguments args, String command, boolean download)
      throws UsageException {
    TransferOptions o = new TransferOptions();
    while (!args.isEmpty()) {
      String word = args.next();
      switch (word) {
        case "--dir" -> o.dir = Path.of(args.value(word));
        case "--peer" -> o.peers.add(Peers.parse(args.value(word)));
        case "--port" -> o.port = args.number(word, 0, 65535);
        case "--listen" -> o.listen = address(args.value(word));
        case "--encryption" -> o.encryption = encryption(args.value(word));
        case "--timeout" -> o.timeout = seconds(args.value(word));
        case "--dht" -> o.dht = true;
        case "--no-dht" -> o.dht = false;
        case "--lsd" -> o.lsd = true;
        case "--no-lsd" -> o.lsd = false;
        case "--port-mapping" -> o.portMapping = true;
        case "--no-port-mapping" -> o.portMapping = false;
        case "--port-mapping-gateway" -> {
          o.gateway = Peers.parse(args.value(word));
          o.portMapping = true;
        }
        case "--trace" -> o.trace = Path.of(args.value(word));
        case "--jfr" -> o.jfr = Path.of(args.value(word));
        case "--utp" -> o.utp = true;
        case "--no-utp" -> o.utp = false;
        case "--tcp" -> o.tcp = true;
        case "--no-tcp" -> o.tcp = false;
        case "--dht-bootstrap" -> {
          o.dhtBootstrap.add(Peers.parse(args.value(word)));
          o.dht = true;
        }
        case "--web-seed" -> {
          if (!download) {
            throw new UsageException("--web-seed is for download");
          }
          o.webSeeds.add(webSeed(args.value(word)));
        }
        case "--no-web-seeds" -> {
          if (!download) {
            throw new UsageException("--no-web-seeds is for download");
          }
          o.linkedWebSeeds = false;
        }
        case "--seed-mode" -> {
          if (download) {
            throw new UsageException("--seed-mode is for seed");
          }
          o.seedMode = true;
        }
        case "--seed-after" -> {
          if (!download) {
            throw new UsageException("--seed-after is for download");
          }
          o.seedAfter = true;
        }
        default -> {
          if (word.startsWith("--")) {
            throw new UsageException("unknown option for " + command + ": " + word);
          }
          if (o.target != null) {
            throw new UsageException(command + " takes one torrent");
          }
          o.target = word;
        }
      }
    }
    if (o.target == null) {
      throw new UsageException(
          command + " needs a .torrent file" + (download ? " or a magnet link" : ""));
    }
    if (o.dir == null) {
      throw new UsageException(command + " needs --dir DIR");
    }
    if (!o.utp && !o.tcp) {
      throw new UsageException("--no-utp and --no-tcp leave no way to reach peers");
    }
    return o;
  }

  private static URI webSeed(String text) throws UsageException {
    try {
      URI url = new URI(text);
      if (!"http".equalsIgnoreCase(url.getScheme()) && !"https".equalsIgnoreCase(url.getScheme())) {
        throw new UsageException("--web-seed takes an http or https URL: " + text);
      }
      return url;
    } catch (URISyntaxException e) {
      throw new UsageException("--web-seed takes a URL: " + text);
    }
  }

  SessionConfig config() {
    SessionConfig.Builder config =
        SessionConfig.builder()
            .listenPort(port)
            .encryption(encryption)
            .dht(dht)
            .lsd(lsd)
            .portMapping(portMapping)
            .utp(utp)
            .tcp(tcp);
    if (listen != null) {
      config.listenAddress(listen);
    }
    if (!dhtBootstrap.isEmpty()) {
      config.dhtBootstrapNodes(dhtBootstrap);
    }
    if (gateway != null) {
      config.portMappingGateway(gateway);
    }
    if (dht) {
      config.dhtStateFile(dir.resolve(".bitwright").resolve("dht.state"));
    }
    return config.build();
  }

  static InetAddress address(String text) throws UsageException {
    try {
      return InetAddress.getByName(text);
    } catch (UnknownHostException e) {
      throw new UsageException("--listen takes an address to listen on: " + text);
    }
  }

  private static EncryptionPolicy encryption(String text) throws UsageException {
    try {
      return EncryptionPolicy.valueOf(text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new UsageException("--encryption is disabled, enabled or forced: " + text);
    }
  }

  static Duration seconds(String text) throws UsageException {
    try {
      long s = Long.parseLong(text);
      if (s > 0) {
        return Duration.ofSeconds(s);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException("--timeout takes a number of seconds: " + text);
  }
}
