package dev.bitwright.session;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import dev.bitwright.metainfo.InfoHashes;
import dev.bitwright.session.internal.engine.TorrentControl;
import dev.bitwright.session.internal.torrent.TorrentRuntime;
import dev.bitwright.storage.FilePriority;
import dev.bitwright.storage.PieceStore;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.BitSet;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Controls one torrent of a {@link TorrentSession}. Every method may be called from any thread;
 * changes are applied on the session's I/O thread soon after.
 */
public final class TorrentHandle {
  private final TorrentControl control;

  TorrentHandle(TorrentControl control) {
    this.control = control;
  }

  /** {@return the torrent's info-hashes} */
  public InfoHashes infoHashes() {
    return control.infoHashes();
  }

  /** {@return the latest status snapshot (published a few times a second; never blocks)} */
  public TorrentStatus status() {
    return control.status();
  }

  /**
   * {@return a future that completes when every wanted piece is downloaded and verified (at once
   * for a torrent that was complete already)} It fails with a {@link TorrentFailedException} when
   * the torrent stops on an error first (state {@link TorrentState#ERROR}), and with an {@link
   * IllegalStateException} when it is removed first. After an error, {@link #resume()} starts a new
   * attempt: call this method again for its future.
   */
  public CompletableFuture<Void> completion() {
    return control.completion();
  }

  /** Pauses: disconnects peers, stops announcing, saves resume data. */
  public void pause() {
    control.pause();
  }

  /** Resumes after {@link #pause()} or an error. */
  public void resume() {
    control.resume();
  }

  /**
   * Checks every piece again; the future completes when the check is done.
   *
   * @return a future that completes once every piece has been checked
   */
  public CompletableFuture<Void> recheck() {
    return control.recheck();
  }

  /**
   * Sets the priority of file {@code file} (its index in {@code Torrent.files()}), while running.
   *
   * @param file the file's index in {@code Torrent.files()}
   * @param priority the new priority; {@link FilePriority#SKIP} stops downloading the file
   * @throws IllegalArgumentException if the index is negative
   */
  public void setFilePriority(int file, FilePriority priority) {
    checkArgument(file >= 0, "negative file index");
    control.setFilePriority(file, checkNotNull(priority));
  }

  /**
   * Sets whether pieces are downloaded in order (for streaming).
   *
   * @param sequential {@code true} to fetch pieces in index order rather than rarest first
   */
  public void setSequential(boolean sequential) {
    control.setSequential(sequential);
  }

  /**
   * Asks for piece {@code piece} within {@code deadline}, before other pieces (for a player that
   * streams a file: set deadlines for the pieces just ahead of the playback position).
   *
   * @param piece the piece index
   * @param deadline how long from now the piece is needed
   */
  public void setPieceDeadline(int piece, Duration deadline) {
    checkArgument(piece >= 0, "negative piece");
    control.setPieceDeadline(piece, deadline);
  }

  /**
   * Connects to a peer (in addition to those from trackers).
   *
   * @param peer the peer's address, possibly unresolved
   */
  public void addPeer(InetSocketAddress peer) {
    control.addPeer(checkNotNull(peer));
  }

  /**
   * Adds a web seed (BEP 19, an {@code http} or {@code https} URL: for a single-file torrent the
   * file itself, for a multi-file torrent the folder holding the torrent's folder). It acts as a
   * peer that has every piece, once the torrent's data is known; see {@link
   * TorrentStatus#webSeeds()}.
   *
   * @param url the web seed's {@code http} or {@code https} URL
   * @throws IllegalArgumentException if the URL is not http or https
   */
  public void addWebSeed(URI url) {
    control.addWebSeed(AddTorrent.checkWebSeed(url));
  }

  /**
   * {@return the bytes verified of each file, in the order of the torrent's files (padding files
   * included); empty while the metadata is missing or the files are first checked} Computed on the
   * session's loop when asked (a few milliseconds for a torrent of 100,000 pieces): call it when a
   * UI needs it, not in a tight loop.
   *
   * @throws IllegalStateException if the session does not answer
   */
  public long[] fileProgress() {
    return TorrentSession.await(control.query(TorrentRuntime::fileProgress));
  }

  /**
   * {@return the verified pieces, by index; empty while the metadata is missing or the files are
   * first checked}
   *
   * @throws IllegalStateException if the session does not answer
   */
  public BitSet pieces() {
    return TorrentSession.await(control.query(TorrentRuntime::pieces));
  }

  /**
   * {@return how many connected peers have each piece (seeds included); empty while the metadata is
   * missing or the files are first checked}
   *
   * @throws IllegalStateException if the session does not answer
   */
  public int[] pieceAvailability() {
    return TorrentSession.await(control.query(TorrentRuntime::pieceAvailability));
  }

  /**
   * Opens file {@code file} (its index in the torrent's files) for reading while it downloads: see
   * {@link TorrentFileChannel}. A file the user skipped is wanted again.
   *
   * @param file the file's index in the torrent's files
   * @param readTimeout the longest a read waits for its piece
   * @return a channel that reads the file, waiting for pieces not downloaded yet
   * @throws IllegalStateException if the torrent's metadata is not known yet (a magnet), or the
   *     session does not answer
   * @throws IndexOutOfBoundsException if there is no such file
   */
  public TorrentFileChannel openFile(int file, Duration readTimeout) {
    checkArgument(!readTimeout.isNegative() && !readTimeout.isZero(), "readTimeout not positive");
    Optional<PieceStore> store = TorrentSession.await(control.query(r -> r.openForReading(file)));
    if (store.isEmpty()) {
      throw new IllegalStateException("the torrent's metadata is not known yet");
    }
    return new TorrentFileChannel(control, store.get(), file, readTimeout);
  }

  /**
   * Removes a web seed; what it was asked for goes to other sources.
   *
   * @param url a web seed of the torrent; nothing happens if it is not one
   */
  public void removeWebSeed(URI url) {
    control.removeWebSeed(checkNotNull(url));
  }

  /**
   * Sets this torrent's download and upload limits in bytes per second (0 for none).
   *
   * @param download the download limit in bytes per second, 0 for none
   * @param upload the upload limit in bytes per second, 0 for none
   */
  public void setRateLimits(long download, long upload) {
    checkArgument(download >= 0 && upload >= 0, "negative limit");
    control.setRateLimits(download, upload);
  }

  /**
   * Returns whether {@code o} is a handle of the same torrent of the same session: the handle
   * {@link TorrentSession#add} returned equals those {@link TorrentSession#torrents()} returns for
   * it. A torrent removed and added again is another torrent.
   */
  @Override
  public boolean equals(Object o) {
    return o instanceof TorrentHandle h && h.control.runtime() == control.runtime();
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(control.runtime());
  }

  /** Returns the status's name. */
  @Override
  public String toString() {
    return "TorrentHandle[" + status().name() + "]";
  }

  TorrentControl control() {
    return control;
  }
}
