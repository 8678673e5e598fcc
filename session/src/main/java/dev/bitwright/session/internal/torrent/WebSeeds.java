package dev.bitwright.session.internal.torrent;

import dev.bitwright.metainfo.FileEntry;
import dev.bitwright.metainfo.Torrent;
import dev.bitwright.session.CloseReason;
import dev.bitwright.session.SessionEvent;
import dev.bitwright.session.TorrentState;
import dev.bitwright.session.WebSeedInfo;
import dev.bitwright.session.internal.data.PiecePicker;
import dev.bitwright.session.internal.data.TorrentData;
import dev.bitwright.session.internal.peer.Block;
import dev.bitwright.session.internal.peer.PeerKey;
import dev.bitwright.session.internal.telemetry.TorrentLog;
import dev.bitwright.session.internal.web.WebJob;
import dev.bitwright.session.internal.web.WebSeedException;
import dev.bitwright.session.internal.web.WebSeedUrl;
import dev.bitwright.storage.PieceMap;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * A torrent's web seeds (BEP 19): each acts as a peer that has every piece, asked as the session's
 * {@code WebSeedPolicy} allows and within the download limits. The picker hands it blocks as it
 * would a seed; blocks that follow each other in the byte stream are fetched in one {@link WebJob}
 * (one ranged request per file it touches), and what arrives is verified and assembled like any
 * peer's blocks. A failed request gives its blocks back and makes the web seed wait; data that
 * fails the hash check bans it after {@value #MAX_HASH_FAILURES} pieces. A web seed never makes the
 * torrent fail. Loop thread only.
 */
final class WebSeeds {
  private static final Logger log = LoggerFactory.getLogger(WebSeeds.class);

  /**
   * Bytes one job fetches at most: 64 blocks. At {@code -Xmx64m} jobs of 4 MiB took more time and
   * CPU (their buffers need runs of free heap regions), jobs of 256 KiB too (the HTTP client's cost
   * per request); see BENCHMARKS.md.
   */
  static final int JOB_BYTES = 1 << 20;

  /** Pieces of a web seed that may fail the hash check before it is banned. */
  static final int MAX_HASH_FAILURES = 3;

  /**
   * Web seeds take no endgame duplicates: a request on its way to an HTTP server cannot be
   * withdrawn, so a block a peer is already fetching would be paid for twice. A stalled peer's
   * blocks come back to the picker when it is found snubbing.
   */
  private static final PiecePicker.PeerRequests NO_DUPLICATES = block -> true;

  private final TorrentRuntime torrent;
  private final List<WebSeed> seeds = new ArrayList<>();
  private final BitSet noSuggestions = new BitSet();
  // Bumped when the torrent stops or its data changes: answers of older requests are dropped.
  private int epoch;

  WebSeeds(TorrentRuntime torrent) {
    this.torrent = torrent;
  }

  /** Adds a web seed, unless it is there already (URLs that are not http or https are ignored). */
  void add(URI url) {
    String scheme =
        url.getScheme() == null ? "" : url.getScheme().toLowerCase(java.util.Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      TorrentLog.at(log, Level.DEBUG, torrent.logKey()).log(
          "{}: web seed {} ignored: not http(s)", torrent.name(), url);
      return;
    }
    if (seeds.stream().noneMatch(s -> s.url().equals(url))) {
      seeds.add(new WebSeed(url));
      fillAll();
    }
  }

  /** Adds the web seeds given as text (a torrent's {@code url-list}, a magnet's {@code ws}). */
  void addAll(List<String> urls) {
    for (String u : urls) {
      try {
        add(URI.create(u));
      } catch (IllegalArgumentException e) {
        TorrentLog.at(log, Level.DEBUG, torrent.logKey()).log(
            "{}: web seed {} ignored: {}", torrent.name(), u, e.getMessage());
      }
    }
  }

  /** Removes a web seed; its requests on their way are dropped when they answer. */
  void remove(URI url) {
    for (WebSeed s : List.copyOf(seeds)) {
      if (s.url().equals(url)) {
        seeds.remove(s);
        giveBackAll(s);
      }
    }
  }

  /**
   * The torrent stopped, or its data changes: the blocks asked for go back to the picker, and the
   * answers of requests on their way will be dropped.
   */
  void stopped() {
    epoch++;
    seeds.forEach(this::giveBackAll);
  }

  private void giveBackAll(WebSeed seed) {
    List<Block> asked = seed.reset();
    if (torrent.dataKnown()) {
      asked.forEach(torrent.data().picker()::requestDropped);
    }
  }

  /** Returns the rate at which the peers (not the web seeds) deliver, in bytes per second. */
  private long peerRate(long now) {
    long web = 0;
    for (WebSeed s : seeds) {
      web += s.rate(now);
    }
    return Math.max(0, torrent.transfer().downloadRate(now) - web);
  }

  /** Returns the web seeds as the status shows them. */
  List<WebSeedInfo> infos(long now) {
    List<WebSeedInfo> infos = new ArrayList<>(seeds.size());
    for (WebSeed s : seeds) {
      infos.add(s.toInfo(now));
    }
    return infos;
  }

  /** Every second: web seeds whose wait is over ask for more. */
  void tick() {
    fillAll();
  }

  private void fillAll() {
    for (WebSeed s : List.copyOf(seeds)) {
      fill(s);
    }
  }

  /** Starts requests of {@code seed} up to its bound, while the picker has blocks for it. */
  private void fill(WebSeed seed) {
    long now = torrent.nanoTime();
    if (!torrent.dataKnown()
        || !torrent.isActive()
        || torrent.state() != TorrentState.DOWNLOADING
        || !seed.mayRequest(now)
        || !torrent.transfer().mayDownloadNow(now)
        || !torrent.host().settings().webSeedPolicy().allows(peerRate(now))) {
      return;
    }
    TorrentData data = torrent.data();
    PiecePicker picker = data.picker();
    // Under a download limit, what is on its way is one second's worth at most: bytes already
    // asked for cannot be held back.
    int requests = torrent.host().settings().webSeedRequests();
    long limit = torrent.transfer().downloadLimit();
    int inFlight =
        limit == 0
            ? requests * JOB_BYTES
            : (int) Math.max(Block.SIZE, Math.min((long) requests * JOB_BYTES, limit));
    int jobBytes = Math.max(Block.SIZE, Math.min(JOB_BYTES, inFlight / requests));
    // A web seed has every piece but those of files it lacks (null: every piece).
    BitSet has = seed.lacksAny() ? piecesOf(seed) : null;
    // Asked for a job's worth at a time: picks of whatever room a small job left behind would keep
    // the jobs small (and the requests many) for the rest of the download.
    while (seed.jobsInFlight() < requests
        && (inFlight - seed.inFlightBytes() >= jobBytes || seed.jobsInFlight() == 0)) {
      int need = Math.max(1, Math.min(jobBytes, inFlight - seed.inFlightBytes()) / Block.SIZE);
      List<Block> blocks = new ArrayList<>(picker.pickRun(has, need, NO_DUPLICATES, null));
      if (blocks.isEmpty()) {
        return;
      }
      blocks.sort(Comparator.comparingInt(Block::piece).thenComparingInt(Block::offset));
      int before = seed.inFlightBytes();
      for (WebJob job : WebJob.plan(data.map(), blocks, jobBytes)) {
        if (seed.jobsInFlight() < requests) {
          start(seed, job);
        } else {
          job.blocks().forEach(picker::requestDropped); // scattered leftovers: for the next fill
        }
      }
      if (seed.inFlightBytes() <= before) {
        return; // nothing went out (padding only, or files it lacks): no busy loop
      }
    }
  }

  /** Returns the pieces {@code seed} can serve: none that holds bytes of a file it lacks. */
  private BitSet piecesOf(WebSeed seed) {
    PieceMap map = torrent.data().map();
    BitSet pieces = map.allPieces();
    for (int f = 0; f < map.fileCount(); f++) {
      if (seed.lacks(f) && map.firstPiece(f) >= 0) {
        pieces.clear(map.firstPiece(f), map.lastPiece(f) + 1);
      }
    }
    return pieces;
  }

  private void start(WebSeed seed, WebJob job) {
    TorrentData data = torrent.data();
    seed.requested(job.blocks(), job.length());
    for (WebJob.FileRange range : job.ranges()) {
      if (seed.lacks(range.file())) {
        giveBack(seed, job);
        return;
      }
    }
    if (job.ranges().isEmpty()) {
      complete(seed, job, epoch); // padding only: zeros
      return;
    }
    Torrent metainfo = data.torrent();
    int startedIn = epoch;
    for (WebJob.FileRange range : job.ranges()) {
      FileEntry file = metainfo.files().get(range.file());
      URI url =
          WebSeedUrl.fileUrl(seed.url(), !metainfo.isSingleFile(), metainfo.name(), file.path());
      torrent
          .host()
          .webSeedClient()
          .fetch(url, range.offset(), range.length(), file.length(), job.buffer(), range.at())
          .whenComplete(
              (ok, error) ->
                  torrent.host().loop().execute(() -> arrived(seed, job, range, error, startedIn)));
    }
  }

  private void arrived(
      WebSeed seed, WebJob job, WebJob.FileRange range, Throwable error, int then) {
    if (job.isSettled()) {
      return; // another range of the job failed already
    }
    if (then != epoch || !seeds.contains(seed)) {
      job.settle(); // its blocks went back to the picker when the torrent stopped or it was removed
      return;
    }
    if (error != null) {
      WebSeedException failure = WebSeedException.of(error);
      TorrentLog.at(log, Level.DEBUG, torrent.logKey()).log(
          "{}: web seed {}: {}", torrent.name(), seed.url(), failure.getMessage());
      seed.failed(failure, range.file(), torrent.nanoTime());
      giveBack(seed, job);
      return;
    }
    if (job.arrived()) {
      complete(seed, job, then);
    }
  }

  /** Every range of {@code job} arrived: its blocks go to the data, as a peer's would. */
  private void complete(WebSeed seed, WebJob job, int then) {
    job.settle();
    seed.ended(job.length());
    if (then != epoch || !torrent.dataKnown()) {
      return;
    }
    TorrentData data = torrent.data();
    PiecePicker picker = data.picker();
    long now = torrent.nanoTime();
    List<Block> blocks = job.blocks();
    for (int i = 0; i < blocks.size(); i++) {
      Block b = blocks.get(i);
      if (seed.unrequest(b) && picker.received(b)) {
        data.write(seed.key(), b, job.bytesOf(i));
      }
    }
    seed.succeeded(job.length(), now);
    torrent.transfer().downloadedFromWebSeed(job.length());
    torrent.protocol().requests().cancelEverywhere(job.blocks());
    fill(seed);
  }

  /** A job failed or cannot be asked: its blocks go back to the picker for others. */
  private void giveBack(WebSeed seed, WebJob job) {
    job.settle();
    seed.ended(job.length());
    PiecePicker picker = torrent.dataKnown() ? torrent.data().picker() : null;
    for (Block b : job.blocks()) {
      if (seed.unrequest(b) && picker != null) {
        picker.requestDropped(b);
      }
    }
  }

  /**
   * Returns whether {@code key} is one of the web seeds, counting a piece of it that failed the
   * hash check (it is banned after {@value #MAX_HASH_FAILURES}).
   */
  boolean convict(PeerKey key) {
    for (WebSeed s : seeds) {
      if (s.key().equals(key)) {
        if (s.hashFailed(MAX_HASH_FAILURES)) {
          TorrentLog.at(log, Level.INFO, torrent.logKey()).log(
              "{}: web seed {} banned: data failed the hash check", torrent.name(), s.url());
          URI url = s.url();
          int port =
              url.getPort() >= 0
                  ? url.getPort()
                  : "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
          torrent.emit(
              new SessionEvent.PeerBanned(
                  torrent.time(),
                  torrent.infoHashes(),
                  InetSocketAddress.createUnresolved(url.getHost(), port),
                  CloseReason.BAD_DATA,
                  Optional.of("web seed " + url)));
        }
        return true;
      }
    }
    return false;
  }
}
