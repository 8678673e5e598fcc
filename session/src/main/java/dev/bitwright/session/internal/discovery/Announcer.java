package dev.bitwright.session.internal.discovery;

import dev.bitwright.session.internal.jfr.TrackerAnnounceEvent;
import dev.bitwright.session.internal.net.EngineLoop;
import dev.bitwright.tracker.AnnounceEvent;
import dev.bitwright.tracker.AnnounceRequest;
import dev.bitwright.tracker.AnnounceResponse;
import dev.bitwright.tracker.AnnounceSchedule;
import dev.bitwright.tracker.TrackerTiers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.random.RandomGenerator;

/**
 * Announces one torrent to its trackers (BEP 12, as libtorrent does it in practice). Each tier uses
 * one tracker at a time: the one that answered last, else the first in the tier's order that is not
 * backing off after a failure, so that a dead tracker hands over to the next one of its tier at
 * once. Until some tracker works, the first tracker of every tier is announced to in parallel, so
 * that dead trackers of early tiers do not hold up a live one further down; once one works, later
 * tiers rest (unless {@code allTiers}, libtorrent's {@code announce_to_all_tiers}). Every tracker
 * has its own {@link AnnounceSchedule} (intervals, back-off after failures) and hears {@code
 * started} first, {@code completed} once the download completes and {@code stopped} at the end.
 * Loop thread only.
 */
public final class Announcer {
  /** What the runtime supplies. */
  public interface Host {
    AnnounceRequest request(AnnounceEvent event);

    CompletableFuture<AnnounceResponse> send(String trackerUrl, AnnounceRequest request);

    void replied(String trackerUrl, AnnounceResponse response);

    void failed(String trackerUrl, Throwable error);

    EngineLoop loop();
  }

  /** One tracker's state. */
  private static final class Tracker {
    final String url;
    final AnnounceSchedule schedule;
    boolean inFlight;
    boolean started;
    boolean completedPending;
    boolean working;
    Optional<String> trackerId = Optional.empty();

    Tracker(String url, RandomGenerator random, long now) {
      this.url = url;
      this.schedule = new AnnounceSchedule(random, now);
    }
  }

  private final Host host;
  private final TrackerTiers tiers;
  private final boolean allTiers;
  private final Map<String, Tracker> trackers = new LinkedHashMap<>();
  private boolean stopped;

  /**
   * Creates the announcer.
   *
   * @param allTiers whether every tier keeps being announced to once one tracker works
   */
  public Announcer(
      Host host, List<List<String>> trackerTiers, RandomGenerator random, boolean allTiers) {
    this.host = host;
    this.tiers = new TrackerTiers(trackerTiers, random);
    this.allTiers = allTiers;
    long now = host.loop().nanoTime();
    for (String url : tiers.inOrder()) {
      trackers.put(url, new Tracker(url, random, now));
    }
  }

  public boolean hasTrackers() {
    return !trackers.isEmpty();
  }

  /** Starts announcing (again after a pause: every tracker hears {@code started} again). */
  public void start() {
    stopped = false;
    long now = host.loop().nanoTime();
    for (Tracker t : trackers.values()) {
      t.started = false;
      t.completedPending = false;
      t.schedule.announceSoon(now);
    }
    tick();
  }

  /**
   * The download completed: the trackers that heard {@code started} (or are hearing it now) hear
   * {@code completed}.
   */
  public void completed() {
    long now = host.loop().nanoTime();
    for (Tracker t : trackers.values()) {
      if (t.started || t.inFlight) {
        t.completedPending = true;
        t.schedule.announceSoon(now);
      }
    }
    tick();
  }

  /** Called every second and after a failure: sends the announces that are due. */
  public void tick() {
    if (stopped) {
      return;
    }
    long now = host.loop().nanoTime();
    boolean working = false;
    for (List<String> tier : tiers.tiers()) {
      if (working && !allTiers) {
        break;
      }
      Tracker current = current(tier, now);
      if (current != null && !current.inFlight && current.schedule.isDue(now)) {
        send(current, now);
      }
      working |= tier.stream().anyMatch(url -> trackers.get(url).working);
    }
  }

  /**
   * Returns the tracker a tier uses now: one with an announce on its way, else the one that
   * answered last, else the first not backing off; null when all of them are.
   */
  private Tracker current(List<String> tier, long now) {
    Tracker firstDue = null;
    for (String url : tier) {
      Tracker t = trackers.get(url);
      if (t.inFlight || t.working) {
        return t;
      }
      if (firstDue == null && t.schedule.isDue(now)) {
        firstDue = t;
      }
    }
    return firstDue;
  }

  private void send(Tracker t, long now) {
    AnnounceEvent event =
        !t.started
            ? AnnounceEvent.STARTED
            : t.completedPending ? AnnounceEvent.COMPLETED : AnnounceEvent.NONE;
    t.inFlight = true;
    AnnounceRequest request = host.request(event).withTrackerId(t.trackerId);
    BiConsumer<AnnounceResponse, Throwable> recorded =
        TrackerAnnounceEvent.start(request.infoHash(), t.url, event);
    host.send(t.url, request)
        .whenComplete(
            (response, error) ->
                host.loop()
                    .execute(
                        () -> {
                          t.inFlight = false;
                          recorded.accept(response, error);
                          if (error == null) {
                            succeeded(t, event, response);
                          } else {
                            failed(t, error);
                          }
                        }));
  }

  private void succeeded(Tracker t, AnnounceEvent event, AnnounceResponse response) {
    long now = host.loop().nanoTime();
    tiers.answered(t.url);
    t.working = true;
    t.started = true;
    if (event == AnnounceEvent.COMPLETED) {
      t.completedPending = false;
    }
    response.trackerId().ifPresent(id -> t.trackerId = Optional.of(id));
    t.schedule.succeeded(response, now);
    if (t.completedPending) {
      // Finished while this announce was on its way: say so now, not after the interval.
      t.schedule.announceSoon(now);
    }
    host.replied(t.url, response);
  }

  private void failed(Tracker t, Throwable error) {
    long now = host.loop().nanoTime();
    t.working = false;
    t.schedule.failed(now);
    host.failed(t.url, error);
    tick(); // the next tracker of the tier, at once
  }

  /**
   * Sends {@code stopped} to every tracker that heard {@code started} (or is hearing it now) and
   * stops announcing; the future completes when all answered or failed (the caller bounds the
   * wait).
   */
  public CompletableFuture<Void> stop() {
    stopped = true;
    List<CompletableFuture<?>> all = new ArrayList<>();
    for (Tracker t : trackers.values()) {
      if (t.started || t.inFlight) {
        t.started = false;
        AnnounceRequest request = host.request(AnnounceEvent.STOPPED).withTrackerId(t.trackerId);
        BiConsumer<AnnounceResponse, Throwable> recorded =
            TrackerAnnounceEvent.start(request.infoHash(), t.url, AnnounceEvent.STOPPED);
        all.add(
            host.send(t.url, request)
                .handle(
                    (response, error) -> {
                      recorded.accept(response, error);
                      return null;
                    }));
      }
    }
    return CompletableFuture.allOf(all.toArray(CompletableFuture<?>[]::new));
  }
}
