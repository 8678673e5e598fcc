package dev.bitwright.benchmarks;

import dev.bitwright.testing.UdpImpairmentRelay;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * A {@link UdpImpairmentRelay} as a process, for {@code benchmarks/utp-impaired.sh}: relays to a
 * port on 127.0.0.1 with a one-way delay and a loss rate each way, prints {@code READY <port>} and
 * runs until killed, printing the relay's counters as it stops.
 *
 * <pre>
 * java -cp benchmarks.jar dev.bitwright.benchmarks.ImpairedUdpRelay TARGET_PORT DELAY_MS LOSS SEED
 * </pre>
 */
public final class ImpairedUdpRelay {
  private ImpairedUdpRelay() {}

  /**
   * Runs the relay.
   *
   * @param args target port, one-way delay in milliseconds, loss rate (0 to 1), seed
   */
  @SuppressForbidden
  public static void main(String[] args) throws IOException, InterruptedException {
    if (args.length != 4) {
      System.err.println("usage: ImpairedUdpRelay TARGET_PORT DELAY_MS LOSS SEED");
      System.exit(2);
    }
    UdpImpairmentRelay relay =
        UdpImpairmentRelay.builder()
            .target(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(args[0])))
            .delay(Duration.ofMillis(Long.parseLong(args[1])))
            .lossRate(Double.parseDouble(args[2]))
            .seed(Long.parseLong(args[3]))
            .start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.out.println("STATS " + relay.stats());
                  relay.close();
                  stopped.countDown();
                }));
    System.out.println("READY " + relay.address().getPort());
    stopped.await();
  }
}
