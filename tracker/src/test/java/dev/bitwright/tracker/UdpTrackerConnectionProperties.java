package dev.bitwright.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.tracker.ScriptedUdpTracker.Packet;
import dev.bitwright.tracker.UdpTrackerConnection.Timing;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * Whatever datagrams arrive, {@link UdpTrackerConnection#receive} never throws, and a request only
 * ever completes normally or with a {@link TrackerException}.
 */
class UdpTrackerConnectionProperties {
  /**
   * A datagram: random bytes, then optionally the transaction id in flight (patch 1) and an action
   * (patch 2) written over bytes 4..8 and 0..4; {@code kind} picks a heap, direct or read-only
   * buffer.
   */
  record Datagram(byte[] bytes, int patch, int action, int kind) {}

  @Provide
  Arbitrary<List<Datagram>> datagrams() {
    Arbitrary<byte[]> bytes =
        Arbitraries.frequencyOf(
            List.of(
                Tuple.of(5, Arbitraries.bytes().array(byte[].class).ofMaxSize(40)),
                Tuple.of(3, Arbitraries.bytes().array(byte[].class).ofMaxSize(200)),
                Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(1000))));
    Arbitrary<Integer> patch =
        Arbitraries.frequencyOf(
            List.of(
                Tuple.of(1, Arbitraries.just(0)),
                Tuple.of(1, Arbitraries.just(1)),
                Tuple.of(3, Arbitraries.just(2))));
    Arbitrary<Integer> action =
        Arbitraries.frequencyOf(
            List.of(
                Tuple.of(3, Arbitraries.integers().between(0, 3)),
                Tuple.of(1, Arbitraries.integers().between(-1, 4)),
                Tuple.of(1, Arbitraries.integers())));
    return Combinators.combine(bytes, patch, action, Arbitraries.integers().between(0, 2))
        .as(Datagram::new)
        .list()
        .ofMinSize(1)
        .ofMaxSize(4);
  }

  @Property(tries = 10_000)
  void randomDatagramsNeverThrow(
      @ForAll boolean ipv6,
      @ForAll @IntRange(min = 0, max = 3) int request,
      @ForAll boolean answerConnect,
      @ForAll long seed,
      @ForAll("datagrams") List<Datagram> datagrams)
      throws UnknownHostException {
    InetSocketAddress tracker =
        new InetSocketAddress(InetAddress.getByName(ipv6 ? "::1" : "127.0.0.1"), 6969);
    UdpTrackerConnection c =
        new UdpTrackerConnection(tracker, "/announce", new Random(seed), Timing.DEFAULT);
    long now = seed % 1_000_000_000_000_000L;
    CompletableFuture<?> future =
        switch (request) {
          case 0 -> c.announce(UdpTrackerConnectionTest.golden(AnnounceEvent.STARTED), now);
          case 1 -> c.scrape(UdpTrackerRepliesTest.hashes(1), now);
          case 2 -> c.scrape(UdpTrackerRepliesTest.hashes(5), now);
          default -> c.scrape(UdpTrackerRepliesTest.hashes(74), now);
        };
    int inFlight = lastTransactionId(ScriptedUdpTracker.drain(c), 0);
    if (answerConnect) {
      c.receive(ScriptedUdpTracker.connectReply(inFlight, seed), now);
      inFlight = lastTransactionId(ScriptedUdpTracker.drain(c), inFlight);
    }
    for (Datagram d : datagrams) {
      ByteBuffer b = ByteBuffer.wrap(d.bytes().clone());
      if (d.patch() >= 1 && b.remaining() >= 8) {
        b.putInt(4, inFlight);
      }
      if (d.patch() >= 2 && b.remaining() >= 4) {
        b.putInt(0, d.action());
      }
      c.receive(buffer(b, d.kind()), now);
      now += Duration.ofSeconds(20).toNanos();
      c.advance(now);
      inFlight = lastTransactionId(ScriptedUdpTracker.drain(c), inFlight);
      checkOutcome(future);
    }
    if (future.isDone()) {
      assertThat(c.pendingRequests()).isZero();
    }
    Statistics.collect(outcome(future));
    Statistics.coverage(
        check -> {
          check.check("answered").percentage(p -> p > 1);
          check.check("failed").percentage(p -> p > 10);
          check.check("pending").percentage(p -> p > 10);
        });
  }

  private static String outcome(CompletableFuture<?> future) {
    if (!future.isDone()) {
      return "pending";
    }
    return future.isCompletedExceptionally() ? "failed" : "answered";
  }

  private static ByteBuffer buffer(ByteBuffer heap, int kind) {
    if (kind == 0) {
      return heap;
    }
    ByteBuffer direct = ByteBuffer.allocateDirect(heap.remaining()).put(heap.duplicate()).flip();
    return kind == 1 ? direct : direct.asReadOnlyBuffer();
  }

  private static int lastTransactionId(List<ByteBuffer> out, int previous) {
    int tx = previous;
    for (ByteBuffer b : out) {
      Packet p = ScriptedUdpTracker.parse(b);
      tx = p.transactionId();
    }
    return tx;
  }

  private static void checkOutcome(CompletableFuture<?> future) {
    if (!future.isDone()) {
      return;
    }
    try {
      future.join();
    } catch (CompletionException e) {
      assertThat(e.getCause()).isInstanceOf(TrackerException.class);
    }
  }
}
