package dev.bitwright.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A Linux network namespace of a test's own, joined to the test's namespace by a veth pair: the
 * host end and the namespace end each get an IPv4 address in a /24 of 10.0.0.0/8 and an IPv6
 * address in a /64 of fd00::/8 (both picked at random, so that tests running at once do not clash),
 * and multicast works across the pair. Programs run inside it with {@link #command}. Needs root
 * (CAP_NET_ADMIN) and {@code ip} from iproute2. {@link #close()} kills what still runs inside and
 * deletes the namespace, which deletes the pair.
 */
public final class NetworkNamespace implements AutoCloseable {
  private final String name;
  private final String hostInterface;
  private final InetAddress hostV4;
  private final InetAddress namespaceV4;
  private final InetAddress hostV6;
  private final InetAddress namespaceV6;

  private NetworkNamespace(String name, String hostInterface, int a, int b, int c)
      throws IOException {
    this.name = name;
    this.hostInterface = hostInterface;
    String v4 = "10." + a + "." + b + ".";
    String v6 = String.format(Locale.ROOT, "fd%02x:%02x%02x:%04x::", a, b, c, a * 256 + b);
    this.hostV4 = InetAddress.getByName(v4 + "1");
    this.namespaceV4 = InetAddress.getByName(v4 + "2");
    this.hostV6 = InetAddress.getByName(v6 + "1");
    this.namespaceV6 = InetAddress.getByName(v6 + "2");
  }

  /**
   * Creates a namespace and its veth pair, both ends up with their addresses (IPv6 without
   * duplicate address detection, so usable at once).
   *
   * @throws IOException if a step fails (not root, say); what was made is removed again
   */
  public static NetworkNamespace create() throws IOException {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    String tag = Integer.toHexString(random.nextInt(0x100000, 0x1000000));
    int a = random.nextInt(200, 250);
    int b = random.nextInt(0, 256);
    int c = random.nextInt(0, 256);
    NetworkNamespace ns = new NetworkNamespace("bwns" + tag, "bwh" + tag, a, b, c);
    String peer = "bwn" + tag;
    try {
      Processes.run("ip", "netns", "add", ns.name);
      Processes.run("ip", "link", "add", ns.hostInterface, "type", "veth", "peer", "name", peer);
      Processes.run("ip", "link", "set", peer, "netns", ns.name);
      Processes.run(
          "ip", "addr", "add", ns.hostV4.getHostAddress() + "/24", "dev", ns.hostInterface);
      Processes.run(
          "ip",
          "addr",
          "add",
          ns.hostV6.getHostAddress() + "/64",
          "dev",
          ns.hostInterface,
          "nodad");
      Processes.run("ip", "link", "set", ns.hostInterface, "up");
      Processes.run(
          "ip", "-n", ns.name, "addr", "add", ns.namespaceV4.getHostAddress() + "/24", "dev", peer);
      Processes.run(
          "ip",
          "-n",
          ns.name,
          "addr",
          "add",
          ns.namespaceV6.getHostAddress() + "/64",
          "dev",
          peer,
          "nodad");
      Processes.run("ip", "-n", ns.name, "link", "set", peer, "up");
      Processes.run("ip", "-n", ns.name, "link", "set", "lo", "up");
    } catch (IOException | RuntimeException e) {
      ns.close();
      throw e;
    }
    return ns;
  }

  /**
   * {@return whether this process may make network namespaces: it runs as root (CI does; a
   * developer's machine may not) and iproute2 is there}
   */
  public static boolean supported() {
    boolean hasIp =
        Files.isExecutable(Path.of("/usr/sbin/ip")) || Files.isExecutable(Path.of("/sbin/ip"));
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          String[] ids = line.substring("Uid:".length()).trim().split("\\s+");
          // The effective user id, the second of the four.
          return hasIp && ids.length > 1 && ids[1].equals("0");
        }
      }
    } catch (IOException e) {
      return false;
    }
    return false;
  }

  /** {@return the namespace's name} */
  public String name() {
    return name;
  }

  /** {@return the IPv4 address of the pair's end in the test's namespace} */
  public InetAddress hostV4() {
    return hostV4;
  }

  /** {@return the IPv4 address of the pair's end inside the namespace} */
  public InetAddress namespaceV4() {
    return namespaceV4;
  }

  /** {@return the IPv6 address of the pair's end in the test's namespace} */
  public InetAddress hostV6() {
    return hostV6;
  }

  /** {@return the IPv6 address of the pair's end inside the namespace} */
  public InetAddress namespaceV6() {
    return namespaceV6;
  }

  /**
   * {@return {@code program} and its arguments as a command line that runs them inside the
   * namespace}
   *
   * @param program the program and its arguments
   */
  public List<String> command(String... program) {
    List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", name));
    command.addAll(List.of(program));
    return command;
  }

  /** Kills every process still in the namespace and deletes it (and so the veth pair). */
  @Override
  public void close() {
    delete(name);
    try {
      // Gone with the namespace if its end was moved there; left behind if creation failed before.
      Processes.run("ip", "link", "delete", hostInterface);
    } catch (IOException e) {
      // gone already: the usual case
    }
  }

  /**
   * Kills every process still in namespace {@code name} and deletes it; does nothing if there is
   * none.
   */
  static void delete(String name) {
    try {
      for (String pid : Processes.run("ip", "netns", "pids", name).split("\\s+")) {
        if (!pid.isEmpty()) {
          ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
        }
      }
      Processes.run("ip", "netns", "delete", name);
    } catch (IOException | NumberFormatException e) {
      // Not made, or gone already; a namespace left over would show in `ip netns`.
    }
  }
}
