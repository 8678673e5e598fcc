package dev.bitwright.session.internal.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.session.internal.net.EngineLoop;
import dev.bitwright.tracker.AnnounceEvent;
import dev.bitwright.tracker.AnnounceRequest;
import dev.bitwright.tracker.AnnounceResponse;
import dev.bitwright.tracker.TrackerException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Which trackers hear what, and when, with a fake clock and trackers that answer on command. */
class AnnouncerTest {
  private final FakeHost host = new FakeHost();

  /** The loop and the trackers, driven by the test. */
  private static final class FakeHost implements Announcer.Host, EngineLoop {
    long now = 1_000_000_000L;
    final Queue<Runnable> tasks = new ArrayDeque<>();
    final List<String> sent = new ArrayList<>();
    final Map<String, CompletableFuture<AnnounceResponse>> pending = new HashMap<>();
    final Map<String, AnnounceEvent> events = new HashMap<>();

    @Override
    public AnnounceRequest request(AnnounceEvent event) {
      return new AnnounceRequest(
          new byte[20], new byte[20], 6881, 0, 0, 0, event, 50, 1, Optional.empty(), false, false);
    }

    @Override
    public CompletableFuture<AnnounceResponse> send(String url, AnnounceRequest request) {
      sent.add(url);
      events.put(url, request.event());
      CompletableFuture<AnnounceResponse> f = new CompletableFuture<>();
      pending.put(url, f);
      return f;
    }

    @Override
    public void replied(String url, AnnounceResponse response) {}

    @Override
    public void failed(String url, Throwable error) {}

    @Override
    public EngineLoop loop() {
      return this;
    }

    @Override
    public long nanoTime() {
      return now;
    }

    @Override
    public void execute(Runnable task) {
      tasks.add(task);
    }

    @Override
    public Timer schedule(long delayNanos, Runnable task) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean inLoop() {
      return true;
    }

    void answer(String url) {
      pending.remove(url).complete(response());
      runTasks();
    }

    void fail(String url) {
      pending.remove(url).completeExceptionally(new TrackerException("refused", false));
      runTasks();
    }

    void runTasks() {
      while (!tasks.isEmpty()) {
        tasks.poll().run();
      }
    }

    List<String> takeSent() {
      List<String> copy = List.copyOf(sent);
      sent.clear();
      return copy;
    }
  }

  private static AnnounceResponse response() {
    return new AnnounceResponse(
        Duration.ofMinutes(30),
        Optional.empty(),
        OptionalInt.empty(),
        OptionalInt.empty(),
        List.of(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  private Announcer announcer(boolean allTiers, List<List<String>> tiers) {
    return new Announcer(host, tiers, new SplittableRandom(1), allTiers);
  }

  @Test
  void theFirstTrackerOfEveryTierHearsStartedAtOnce() {
    Announcer a = announcer(false, List.of(List.of("a"), List.of("b"), List.of("c")));
    a.start();
    assertThat(host.takeSent()).containsExactly("a", "b", "c");
    assertThat(host.events).containsValues(AnnounceEvent.STARTED);
  }

  @Test
  void aFailedTrackerHandsOverToTheNextOfItsTierAtOnce() {
    Announcer a = announcer(false, List.of(List.of("a1", "a2", "a3")));
    a.start();
    String first = host.takeSent().get(0);
    host.fail(first);
    List<String> second = host.takeSent();
    assertThat(second).hasSize(1).doesNotContain(first);
    host.fail(second.get(0));
    List<String> third = host.takeSent();
    assertThat(third).hasSize(1).doesNotContain(first, second.get(0));
    host.fail(third.get(0));
    assertThat(host.takeSent()).as("every tracker backs off now").isEmpty();
  }

  @Test
  void onceATrackerWorksLaterTiersRestUnlessAllTiersAreAsked() {
    for (boolean allTiers : new boolean[] {false, true}) {
      host.pending.clear();
      Announcer a = announcer(allTiers, List.of(List.of("a"), List.of("b")));
      a.start();
      host.takeSent();
      host.answer("a");
      host.answer("b");
      host.now += Duration.ofMinutes(31).toNanos();
      a.tick();
      assertThat(host.takeSent())
          .as("all tiers: %s", allTiers)
          .containsExactlyElementsOf(allTiers ? List.of("a", "b") : List.of("a"));
    }
  }

  @Test
  void completedGoesToTheTrackersThatHeardStartedEvenIfTheyWereBusy() {
    Announcer a = announcer(false, List.of(List.of("a")));
    a.start();
    host.takeSent();
    host.answer("a");
    a.completed();
    assertThat(host.takeSent()).containsExactly("a");
    assertThat(host.events.get("a")).isEqualTo(AnnounceEvent.COMPLETED);
  }

  @Test
  void completedWhileStartedIsOnItsWayFollowsTheAnswer() {
    Announcer a = announcer(false, List.of(List.of("a")));
    a.start();
    host.takeSent();
    a.completed();
    assertThat(host.takeSent()).as("nothing while started is on its way").isEmpty();
    host.answer("a");
    a.tick();
    assertThat(host.takeSent()).containsExactly("a");
    assertThat(host.events.get("a")).isEqualTo(AnnounceEvent.COMPLETED);
  }

  @Test
  void stoppedGoesToATrackerWhoseStartedIsOnItsWay() {
    Announcer a = announcer(false, List.of(List.of("a")));
    a.start();
    host.takeSent();
    a.stop();
    assertThat(host.takeSent()).containsExactly("a");
    assertThat(host.events.get("a")).isEqualTo(AnnounceEvent.STOPPED);
  }

  @Test
  void stoppedGoesOnlyToTrackersThatHeardStarted() {
    Announcer a = announcer(false, List.of(List.of("a"), List.of("b")));
    a.start();
    host.takeSent();
    host.answer("a");
    host.fail("b");
    host.takeSent();
    a.stop();
    assertThat(host.takeSent()).containsExactly("a");
    assertThat(host.events.get("a")).isEqualTo(AnnounceEvent.STOPPED);
  }
}
