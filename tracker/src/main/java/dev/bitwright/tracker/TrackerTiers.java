package dev.bitwright.tracker;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.random.RandomGenerator;

/**
 * A torrent's trackers in the order of BEP 12: each tier is shuffled once, trackers within a tier
 * are tried in order, and a tracker that answers moves to the front of its tier. Tiers are tried in
 * order; with {@code announceToAllTiers} (libtorrent's {@code announce_to_all_tiers}) the first
 * working tracker of every tier is used at the same time.
 *
 * <p>Not thread-safe.
 */
public final class TrackerTiers {
  private final List<List<String>> tiers = new ArrayList<>();

  /**
   * Creates the tiers from {@code torrentTiers} (as {@code Torrent.trackers()} gives them),
   * shuffling each once with {@code random}. Empty tiers and duplicate URLs are dropped.
   *
   * @param torrentTiers the torrent's tracker URLs, tier by tier
   * @param random draws the order of each tier
   */
  public TrackerTiers(List<List<String>> torrentTiers, RandomGenerator random) {
    List<String> seen = new ArrayList<>();
    Random shuffler = new Random(random.nextLong());
    for (List<String> tier : torrentTiers) {
      List<String> copy = new ArrayList<>();
      for (String url : tier) {
        String u = url.strip();
        if (!u.isEmpty() && !seen.contains(u)) {
          seen.add(u);
          copy.add(u);
        }
      }
      if (!copy.isEmpty()) {
        Collections.shuffle(copy, shuffler);
        tiers.add(copy);
      }
    }
  }

  /** {@return the tiers in their current order; a copy} */
  public List<List<String>> tiers() {
    List<List<String>> copy = new ArrayList<>(tiers.size());
    tiers.forEach(t -> copy.add(List.copyOf(t)));
    return copy;
  }

  /** {@return whether there is no tracker at all} */
  public boolean isEmpty() {
    return tiers.isEmpty();
  }

  /**
   * {@return the trackers to try, in order: every tracker of every tier, tier by tier} An announce
   * goes to the first that answers; then {@link #answered} moves it forward.
   */
  public List<String> inOrder() {
    List<String> all = new ArrayList<>();
    tiers.forEach(all::addAll);
    return all;
  }

  /** {@return the first tracker of each tier, for announcing to all tiers at once} */
  public List<String> firstOfEachTier() {
    List<String> firsts = new ArrayList<>(tiers.size());
    tiers.forEach(t -> firsts.add(t.get(0)));
    return firsts;
  }

  /**
   * {@return the trackers of {@code url}'s tier that come after it, to try if it fails}
   *
   * @param url one of the torrent's trackers; an unknown URL has no tier and gives an empty list
   */
  public List<String> after(String url) {
    for (List<String> tier : tiers) {
      int i = tier.indexOf(url);
      if (i >= 0) {
        return List.copyOf(tier.subList(i + 1, tier.size()));
      }
    }
    return List.of();
  }

  /**
   * Moves {@code url}, which just answered, to the front of its tier (BEP 12).
   *
   * @param url one of the torrent's trackers
   */
  public void answered(String url) {
    for (List<String> tier : tiers) {
      if (tier.remove(url)) {
        tier.add(0, url);
        return;
      }
    }
    checkArgument(false, "not a tracker of this torrent: %s", url);
  }
}
