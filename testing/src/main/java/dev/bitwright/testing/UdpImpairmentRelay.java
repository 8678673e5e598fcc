package dev.bitwright.testing;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;
import static com.google.common.base.Preconditions.checkState;

import com.google.common.net.InetAddresses;
import com.google.common.util.concurrent.Uninterruptibles;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * A UDP relay that impairs the datagrams it passes on, with delay, jitter, loss, duplication,
 * reordering and a bandwidth limit: {@code netem} in user space, for tests of UDP protocols such as
 * uTP (BEP 29) on machines whose kernel lacks it.
 *
 * <pre>{@code
 * try (UdpImpairmentRelay relay =
 *     UdpImpairmentRelay.builder()
 *         .target(serverAddress)
 *         .delay(Duration.ofMillis(40))
 *         .jitter(Duration.ofMillis(10))
 *         .lossRate(0.05)
 *         .seed(42)
 *         .start()) {
 *   client.connect(relay.address()); // instead of serverAddress
 * }
 * }</pre>
 *
 * <p><b>Topology.</b> The relay listens on one UDP socket, {@link #address()}. A datagram that
 * reaches it from any address but the target is passed on to the {@linkplain
 * Builder#target(InetSocketAddress) target}, from a socket the relay opens for that client alone:
 * so the target sees each client as a distinct address, and what it sends back to one of those
 * sockets goes to that client, from {@link #address()}. Only clients open conversations: the target
 * reaches a client only by answering it. Datagrams that belong to no conversation (from the target
 * to {@link #address()}, or from a stranger to a client's socket) are ignored.
 *
 * <p><b>Impairment.</b> Both directions get the same settings, applied independently, each datagram
 * on its own: it may be lost; if not, it passes the bandwidth limit's queue, then may be
 * duplicated, and each copy waits the delay, plus its jitter, plus, if it is held back for
 * reordering, the reorder delay. Copies leave in order of those times. With a {@linkplain
 * Builder#seed(long) seed}, the same sequence of datagrams in each direction meets the same fate.
 *
 * <p><b>Threads.</b> Two daemon threads named {@code bitwright-udp-relay-*}: one reads every
 * socket, one releases delayed datagrams. {@link #close()} stops both and closes every socket.
 */
public final class UdpImpairmentRelay implements AutoCloseable {
  private static final String THREAD_PREFIX = "bitwright-udp-relay-";
  private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(5);

  private final long seed;
  private final InetSocketAddress address;
  private final RelayReceiver receiver;
  private final DelayLine delayLine = new DelayLine();
  private final Thread receiverThread;
  private final Thread schedulerThread;
  private boolean closed;

  private UdpImpairmentRelay(Builder builder, InetSocketAddress target, long seed)
      throws IOException {
    this.seed = seed;
    // One stream of random numbers per direction, so that traffic one way leaves the fate of
    // traffic the other way unchanged.
    SplittableRandom random = new SplittableRandom(seed);
    Impairment.Settings settings = builder.settings();
    this.receiver =
        new RelayReceiver(
            builder.bindAddress,
            target,
            new Impairment(settings, random.split()),
            new Impairment(settings, random.split()),
            delayLine);
    this.address = receiver.address();
    this.schedulerThread = start("scheduler", delayLine);
    this.receiverThread = start("receiver", receiver);
  }

  /** {@return a builder; its {@link Builder#target(InetSocketAddress)} is required} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return the address that clients send to instead of the target's} */
  public InetSocketAddress address() {
    return address;
  }

  /** {@return the seed of the random choices: the one set, or the one drawn if none was} */
  public long seed() {
    return seed;
  }

  /** {@return the counters so far, for both directions together} */
  public Stats stats() {
    // A datagram is counted as received, then as lost or duplicated, then as sent: reading the
    // counters in the reverse order keeps forwarded + dropped from overtaking received +
    // duplicated.
    long forwarded = delayLine.forwarded();
    long failed = delayLine.failed();
    long dropped = receiver.dropped();
    long duplicated = receiver.duplicated();
    return new Stats(receiver.received(), forwarded, dropped + failed, duplicated);
  }

  /**
   * Stops the relay's threads and closes its sockets; datagrams still delayed are lost. Returns
   * once the threads have ended. Calling it again does nothing.
   *
   * @throws IllegalStateException if a thread has not ended within 5 s
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    delayLine.stop();
    receiver.stop();
    Uninterruptibles.joinUninterruptibly(schedulerThread, JOIN_TIMEOUT);
    Uninterruptibles.joinUninterruptibly(receiverThread, JOIN_TIMEOUT);
    checkState(
        !schedulerThread.isAlive() && !receiverThread.isAlive(),
        "the threads of the relay at %s did not end within %s",
        address,
        JOIN_TIMEOUT);
  }

  private Thread start(String role, Runnable body) {
    Thread thread = new Thread(body, THREAD_PREFIX + role + "-" + address.getPort());
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  /**
   * The counters of a relay, for both directions together. Each is exact, but they are read one
   * after the other: only once no datagram is in flight does {@code forwarded + dropped == received
   * + duplicated} hold; before, the left side may be smaller.
   *
   * @param received the datagrams taken in to be relayed
   * @param forwarded the datagrams sent on, duplicates included
   * @param dropped the datagrams lost on purpose, plus any copy that the relay's socket refused
   * @param duplicated the datagrams sent twice
   */
  public record Stats(long received, long forwarded, long dropped, long duplicated) {}

  /** Settings for a relay; every one but the target has a default that impairs nothing. */
  public static final class Builder {
    private static final Duration MAX_DURATION = Duration.ofHours(1);

    private Duration delay = Duration.ZERO;
    private Duration jitter = Duration.ZERO;
    private double lossRate;
    private double duplicateRate;
    private double reorderRate;
    private Duration reorderDelay = Duration.ofMillis(10);
    private long bytesPerSecond;
    private OptionalLong seed = OptionalLong.empty();
    private InetAddress bindAddress = InetAddresses.forString("127.0.0.1");
    private @Nullable InetSocketAddress target;

    private Builder() {}

    /**
     * Sets the delay that every datagram waits, in each direction. Default: none.
     *
     * @param oneWay the fixed delay of each datagram, each way, 0 to 1 hour
     * @return this builder
     */
    public Builder delay(Duration oneWay) {
      this.delay = checkDuration(oneWay, "delay");
      return this;
    }

    /**
     * Sets the largest extra delay of a datagram, drawn uniformly from 0 to it for each one: what
     * makes datagrams sent closer together than that overtake one another. Default: none.
     *
     * @param max the largest random extra delay of a datagram, 0 to 1 hour
     * @return this builder
     */
    public Builder jitter(Duration max) {
      this.jitter = checkDuration(max, "jitter");
      return this;
    }

    /**
     * Sets the probability, from 0 to 1, that a datagram is lost. Default: 0.
     *
     * @param rate the probability of loss, from 0 to 1
     * @return this builder
     */
    public Builder lossRate(double rate) {
      this.lossRate = checkRate(rate, "loss rate");
      return this;
    }

    /**
     * Sets the probability, from 0 to 1, that a datagram arrives twice. Default: 0.
     *
     * @param rate the probability of duplication, from 0 to 1
     * @return this builder
     */
    public Builder duplicateRate(double rate) {
      this.duplicateRate = checkRate(rate, "duplicate rate");
      return this;
    }

    /**
     * Sets the probability, from 0 to 1, that a datagram is held back by the {@linkplain
     * #reorderDelay(Duration) reorder delay}, to be overtaken by those sent just after it. Default:
     * 0.
     *
     * @param rate the probability of holding a datagram back, from 0 to 1
     * @return this builder
     */
    public Builder reorderRate(double rate) {
      this.reorderRate = checkRate(rate, "reorder rate");
      return this;
    }

    /**
     * Sets how long a datagram held back for reordering waits. Default: 10 ms.
     *
     * @param extra the hold-back of a reordered datagram, on top of its delay, 0 to 1 hour
     * @return this builder
     */
    public Builder reorderDelay(Duration extra) {
      this.reorderDelay = checkDuration(extra, "reorder delay");
      return this;
    }

    /**
     * Sets the rate of a bottleneck in each direction, counting UDP payload bytes: a datagram
     * leaves only once those before it have, plus its length over this rate. The queue has no
     * limit. Default: 0, for no limit.
     *
     * @param bytesPerSecond the bottleneck's rate in payload bytes per second, or 0 for none
     * @return this builder
     */
    public Builder bandwidth(long bytesPerSecond) {
      checkArgument(bytesPerSecond >= 0, "bandwidth must not be negative, not %s", bytesPerSecond);
      this.bytesPerSecond = bytesPerSecond;
      return this;
    }

    /**
     * Sets the seed of the random choices, to repeat a run. Default: a random seed.
     *
     * @param seed the seed of the relay's random choices
     * @return this builder
     */
    public Builder seed(long seed) {
      this.seed = OptionalLong.of(seed);
      return this;
    }

    /**
     * Sets the local address of the relay's sockets, toward clients and target. Default: 127.0.0.1.
     *
     * @param address an address of this machine
     * @return this builder
     */
    public Builder bind(InetAddress address) {
      this.bindAddress = checkNotNull(address, "bind address");
      return this;
    }

    /**
     * Sets the endpoint behind the relay, to which clients' datagrams go. Required.
     *
     * @param target the endpoint that receives the clients' datagrams, and whose replies go back to
     *     them
     * @return this builder
     */
    public Builder target(InetSocketAddress target) {
      checkNotNull(target, "target");
      checkArgument(!target.isUnresolved(), "target %s is unresolved", target);
      checkArgument(
          !target.getAddress().isAnyLocalAddress() && target.getPort() != 0,
          "target %s must be a specific address and port",
          target);
      this.target = target;
      return this;
    }

    /**
     * Opens the relay's socket and starts its threads.
     *
     * @return the running relay
     * @throws IllegalStateException if no target was set
     * @throws IOException if the socket cannot be opened
     */
    public UdpImpairmentRelay start() throws IOException {
      InetSocketAddress to = target;
      checkState(to != null, "a relay needs a target");
      return new UdpImpairmentRelay(
          this, to, seed.orElseGet(() -> ThreadLocalRandom.current().nextLong()));
    }

    private Impairment.Settings settings() {
      return new Impairment.Settings(
          delay.toNanos(),
          jitter.toNanos(),
          lossRate,
          duplicateRate,
          reorderRate,
          reorderDelay.toNanos(),
          bytesPerSecond);
    }

    private static Duration checkDuration(Duration duration, String name) {
      checkNotNull(duration, name);
      checkArgument(!duration.isNegative(), "%s must not be negative, not %s", name, duration);
      checkArgument(
          duration.compareTo(MAX_DURATION) <= 0, "%s must be at most %s", name, MAX_DURATION);
      return duration;
    }

    private static double checkRate(double rate, String name) {
      // Written so that NaN fails too.
      checkArgument(rate >= 0 && rate <= 1, "%s must be from 0 to 1, not %s", name, rate);
      return rate;
    }
  }
}
