package dev.bitwright.session.internal;

import dev.bitwright.tracker.AnnounceEvent;
import dev.bitwright.tracker.AnnounceRequest;
import dev.bitwright.tracker.AnnounceResponse;
import dev.bitwright.tracker.AnnounceSchedule;
import dev.bitwright.tracker.TrackerTiers;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.random.RandomGenerator;

/**
 * Announces one torrent to its trackers in BEP 12 order: trackers tried one after another, tier by
 * tier, moving on after a failure and moving a tracker that answers to the front of its tier; or,
 * if asked, every tier in parallel (libtorrent's {@code announce_to_all_tiers}), each with its own
 * {@link AnnounceSchedule}. Loop thread only.
 */
final class Announcer {
  /** What the runtime supplies. */
  interface Host {
    AnnounceRequest request(AnnounceEvent event);

    CompletableFuture<AnnounceResponse> send(String trackerUrl, AnnounceRequest request);

    void replied(String trackerUrl, AnnounceResponse response);

    void failed(String trackerUrl, Throwable error);

    EngineLoop loop();
  }

  private final Host host;
  private final TrackerTiers tiers;
  private final List<Tier> state = new ArrayList<>();
  private boolean startedSent;
  private boolean completedPending;
  private boolean stopped;

  private final class Tier {
    final int index;
    final AnnounceSchedule schedule;
    int tracker;
    boolean inFlight;
    Optional<String> trackerId = Optional.empty();

    Tier(int index, RandomGenerator random, long now) {
      this.index = index;
      this.schedule = new AnnounceSchedule(random, now);
    }

    /** Index -1 walks every tracker of every tier in BEP 12 order. */
    String url() {
      List<String> trackers = index < 0 ? tiers.inOrder() : tiers.tiers().get(index);
      return trackers.get(tracker % trackers.size());
    }
  }

  /**
   * Creates the announcer.
   *
   * @param allTiers whether every tier gets announces at once; otherwise one working tracker, tiers
   *     tried in order (BEP 12)
   */
  Announcer(Host host, List<List<String>> trackerTiers, RandomGenerator random, boolean allTiers) {
    this.host = host;
    this.tiers = new TrackerTiers(trackerTiers, random);
    long now = host.loop().nanoTime();
    if (tiers.isEmpty()) {
      return;
    }
    if (allTiers) {
      for (int i = 0; i < tiers.tiers().size(); i++) {
        state.add(new Tier(i, random, now));
      }
    } else {
      state.add(new Tier(-1, random, now));
    }
  }

  boolean hasTrackers() {
    return !tiers.isEmpty();
  }

  /** Starts announcing (again after a pause). */
  void start() {
    stopped = false;
    startedSent = false;
    long now = host.loop().nanoTime();
    for (Tier t : state) {
      t.schedule.announceSoon(now);
    }
    tick();
  }

  /** Announces {@code completed} soon. */
  void completed() {
    completedPending = true;
    long now = host.loop().nanoTime();
    for (Tier t : state) {
      t.schedule.announceSoon(now);
    }
    tick();
  }

  /** Called every second: sends due announces. */
  void tick() {
    if (stopped) {
      return;
    }
    long now = host.loop().nanoTime();
    for (Tier t : state) {
      if (!t.inFlight && t.schedule.isDue(now)) {
        AnnounceEvent event =
            !startedSent
                ? AnnounceEvent.STARTED
                : completedPending ? AnnounceEvent.COMPLETED : AnnounceEvent.NONE;
        send(t, event);
      }
    }
  }

  private void send(Tier t, AnnounceEvent event) {
    t.inFlight = true;
    String url = t.url();
    AnnounceRequest request = host.request(event).withTrackerId(t.trackerId);
    host.send(url, request)
        .whenComplete(
            (response, error) ->
                host.loop()
                    .execute(
                        () -> {
                          t.inFlight = false;
                          long now = host.loop().nanoTime();
                          if (error == null) {
                            tiers.answered(url);
                            t.tracker = 0;
                            if (event == AnnounceEvent.STARTED) {
                              startedSent = true;
                            }
                            if (event == AnnounceEvent.COMPLETED) {
                              completedPending = false;
                            }
                            response.trackerId().ifPresent(id -> t.trackerId = Optional.of(id));
                            t.schedule.succeeded(response, now);
                            if (completedPending) {
                              // Finished while this announce was on its way: say so now, not
                              // after the tracker's interval.
                              t.schedule.announceSoon(now);
                            }
                            host.replied(url, response);
                          } else {
                            t.tracker++;
                            t.schedule.failed(now);
                            host.failed(url, error);
                          }
                        }));
  }

  /**
   * Sends {@code stopped} to the tracker last used in each tier and stops announcing; the future
   * completes when all answered or failed (the caller bounds the wait).
   */
  CompletableFuture<Void> stop() {
    stopped = true;
    if (!startedSent) {
      return CompletableFuture.completedFuture(null);
    }
    List<CompletableFuture<?>> all = new ArrayList<>();
    for (Tier t : state) {
      AnnounceRequest request = host.request(AnnounceEvent.STOPPED).withTrackerId(t.trackerId);
      all.add(host.send(t.url(), request).handle((r, e) -> null));
    }
    return CompletableFuture.allOf(all.toArray(CompletableFuture<?>[]::new));
  }
}
