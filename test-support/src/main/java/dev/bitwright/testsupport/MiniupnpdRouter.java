package dev.bitwright.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A home router for tests: a real miniupnpd (Debian's miniupnpd-nftables) answering PCP and NAT-PMP
 * in a network namespace of its own, between the test's namespace (its LAN, over a veth pair) and a
 * second namespace standing for the internet (its WAN). Mappings it grants become nftables DNAT
 * rules, so a program in the internet namespace that dials the router's external address reaches
 * the test's namespace; forwarded connections are masqueraded on the LAN side, so that the test's
 * namespace needs no route back. The WAN is a /24 in 11.0.0.0/8 (miniupnpd refuses to map on the
 * reserved and private ranges), inside the namespaces only. Needs root, iproute2, nftables and
 * miniupnpd. {@link #close()} stops miniupnpd and deletes both namespaces.
 */
public final class MiniupnpdRouter implements AutoCloseable {
  private final String router;
  private final String internet;
  private final String lan;
  private final String wan;
  private final InetAddress lanHost;
  private final InetAddress lanRouter;
  private final InetAddress wanRouter;
  private final InetAddress wanPeer;
  private final Path log;
  private Process miniupnpd;

  /** Which of its protocols the router speaks. */
  public enum Protocols {
    /** PCP and NAT-PMP (on port 5351); no UPnP. */
    PCP_AND_NAT_PMP,
    /** UPnP IGD alone (SSDP on port 1900, HTTP on a port of its own); nothing on 5351. */
    UPNP
  }

  private MiniupnpdRouter(String tag, int a, int b, Path scratch) throws IOException {
    this.router = "bwrt" + tag;
    this.internet = "bwin" + tag;
    this.lan = "bwl" + tag;
    this.wan = "bww" + tag;
    this.lanHost = InetAddress.getByName("10." + a + "." + b + ".2");
    this.lanRouter = InetAddress.getByName("10." + a + "." + b + ".1");
    this.wanRouter = InetAddress.getByName("11." + a + "." + b + ".1");
    this.wanPeer = InetAddress.getByName("11." + a + "." + b + ".2");
    this.log = scratch.resolve("miniupnpd-" + tag + ".log");
  }

  /**
   * Builds the namespaces and starts miniupnpd speaking PCP and NAT-PMP; returns once it listens.
   *
   * @param scratch a folder for its configuration, rules and log
   * @throws IOException if a step fails (not root, a package missing); what was made is removed
   */
  public static MiniupnpdRouter start(Path scratch) throws IOException {
    return start(scratch, Protocols.PCP_AND_NAT_PMP);
  }

  /**
   * As {@link #start(Path)}, speaking {@code protocols}.
   *
   * @param scratch a folder for its configuration, rules and log
   * @param protocols which protocols miniupnpd answers
   * @throws IOException if a step fails (not root, a package missing); what was made is removed
   */
  public static MiniupnpdRouter start(Path scratch, Protocols protocols) throws IOException {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    String tag = Integer.toHexString(random.nextInt(0x100000, 0x1000000));
    MiniupnpdRouter r =
        new MiniupnpdRouter(tag, random.nextInt(150, 200), random.nextInt(0, 256), scratch);
    try {
      r.build(scratch, tag, protocols);
    } catch (IOException | RuntimeException e) {
      r.close();
      throw e;
    }
    return r;
  }

  private void build(Path scratch, String tag, Protocols protocols) throws IOException {
    String lanInside = "bwm" + tag;
    String wanOutside = "bwx" + tag;
    Processes.run("ip", "netns", "add", router);
    Processes.run("ip", "netns", "add", internet);
    Processes.run("ip", "link", "add", lan, "type", "veth", "peer", "name", lanInside);
    Processes.run("ip", "link", "set", lanInside, "netns", router);
    Processes.run("ip", "link", "add", wan, "type", "veth", "peer", "name", wanOutside);
    Processes.run("ip", "link", "set", wan, "netns", router);
    Processes.run("ip", "link", "set", wanOutside, "netns", internet);
    Processes.run("ip", "addr", "add", lanHost.getHostAddress() + "/24", "dev", lan);
    Processes.run("ip", "link", "set", lan, "up");
    Processes.run(
        "ip", "-n", router, "addr", "add", lanRouter.getHostAddress() + "/24", "dev", lanInside);
    Processes.run(
        "ip", "-n", router, "addr", "add", wanRouter.getHostAddress() + "/24", "dev", wan);
    Processes.run(
        "ip", "-n", internet, "addr", "add", wanPeer.getHostAddress() + "/24", "dev", wanOutside);
    for (String[] link :
        new String[][] {
          {router, lanInside},
          {router, wan},
          {router, "lo"},
          {internet, wanOutside},
          {internet, "lo"}
        }) {
      Processes.run("ip", "-n", link[0], "link", "set", link[1], "up");
    }
    Processes.run("ip", "netns", "exec", router, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
    // miniupnpd adds its rules to these chains but does not make them.
    Path rules = scratch.resolve("router-" + tag + ".nft");
    Files.writeString(
        rules,
        String.join(
            "\n",
            "table inet filter {",
            "  chain forward {",
            "    type filter hook forward priority 0; policy drop;",
            "    ct state established,related accept",
            "    iifname \"" + lanInside + "\" oifname \"" + wan + "\" accept",
            "    jump miniupnpd",
            "  }",
            "  chain miniupnpd {",
            "  }",
            "  chain prerouting {",
            "    type nat hook prerouting priority -100; policy accept;",
            "    jump prerouting_miniupnpd",
            "  }",
            "  chain postrouting {",
            "    type nat hook postrouting priority 100; policy accept;",
            "    jump postrouting_miniupnpd",
            "    oifname \"" + wan + "\" masquerade",
            "    oifname \"" + lanInside + "\" masquerade",
            "  }",
            "  chain prerouting_miniupnpd {",
            "  }",
            "  chain postrouting_miniupnpd {",
            "  }",
            "}",
            ""));
    Processes.run("ip", "netns", "exec", router, "nft", "-f", rules.toString());
    Path config = scratch.resolve("miniupnpd-" + tag + ".conf");
    Files.writeString(
        config,
        String.join(
            "\n",
            "ext_ifname=" + wan,
            "listening_ip=" + lanInside,
            "http_port=0",
            "enable_natpmp=" + (protocols == Protocols.UPNP ? "no" : "yes"),
            "enable_upnp=" + (protocols == Protocols.UPNP ? "yes" : "no"),
            "secure_mode=yes",
            "uuid=3d3cec3a-8cf0-11e0-98ee-00" + tag + "0000",
            "allow 1024-65535 "
                + lanHost.getHostAddress().replaceAll("\\.2$", ".0")
                + "/24 1024-65535",
            "deny 0-65535 0.0.0.0/0 0-65535",
            ""));
    miniupnpd =
        new ProcessBuilder(
                "ip",
                "netns",
                "exec",
                router,
                "/usr/sbin/miniupnpd",
                "-f",
                config.toString(),
                "-P",
                scratch.resolve("miniupnpd-" + tag + ".pid").toString(),
                "-d")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    String ready =
        protocols == Protocols.UPNP
            ? "HTTP listening on port"
            : "Listening for NAT-PMP/PCP traffic";
    while (!Files.readString(log).contains(ready)) {
      if (!miniupnpd.isAlive() || System.nanoTime() - deadline > 0) {
        throw new IOException("miniupnpd did not start: " + Files.readString(log));
      }
      sleep(50);
    }
  }

  /** {@return where the router answers PCP and NAT-PMP: its LAN address, port 5351} */
  public InetSocketAddress gateway() {
    return new InetSocketAddress(lanRouter, 5351);
  }

  /** {@return the address of the LAN's end in the test's namespace, to listen on} */
  public InetAddress lanAddress() {
    return lanHost;
  }

  /** {@return the router's external (WAN) address} */
  public InetAddress externalAddress() {
    return wanRouter;
  }

  /** {@return the address of the internet namespace's end of the WAN} */
  public InetAddress internetAddress() {
    return wanPeer;
  }

  /**
   * {@return {@code program} and its arguments as a command line that runs them in the internet
   * namespace}
   *
   * @param program the program and its arguments
   */
  public List<String> internetCommand(String... program) {
    List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", internet));
    command.addAll(List.of(program));
    return command;
  }

  /**
   * {@return the router's nftables rules now, where miniupnpd's mappings show as DNAT rules}
   *
   * @throws IOException if nft fails
   */
  public String rules() throws IOException {
    return Processes.run("ip", "netns", "exec", router, "nft", "list", "ruleset");
  }

  private static void sleep(long millis) throws IOException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /** Stops miniupnpd and everything else in the namespaces, and deletes them. */
  @Override
  public void close() {
    if (miniupnpd != null) {
      miniupnpd.destroy();
      Processes.awaitOrKill(miniupnpd, 5);
    }
    NetworkNamespace.delete(router);
    NetworkNamespace.delete(internet);
    try {
      Processes.run("ip", "link", "delete", lan);
    } catch (IOException e) {
      // gone with the router's namespace: the usual case
    }
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT, "miniupnpd router %s (LAN %s, WAN %s)", router, lanRouter, wanRouter);
  }
}
