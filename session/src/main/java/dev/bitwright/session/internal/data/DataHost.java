package dev.bitwright.session.internal.data;

import dev.bitwright.session.FailureReason;
import dev.bitwright.session.internal.peer.PeerKey;
import java.util.Map;
import java.util.Set;

/** What a torrent's data reports to the torrent, and the few facts it asks of it. */
public interface DataHost {
  /** Returns whether pieces are fetched in order. */
  boolean sequential();

  /** Returns and forgets the piece deadlines set before the data was checked. */
  Map<Integer, Long> takePendingDeadlines();

  /** Returns whether the torrent downloads now. */
  boolean isDownloading();

  /** A check of the files started. */
  void checking();

  /** The check is over: the picker knows what we have. */
  void checked();

  /**
   * The data failed (the disk, the files); the torrent stops.
   *
   * @param message what went wrong, for people
   * @param cause the exception behind it, or null
   */
  void fail(FailureReason reason, String message, Throwable cause);

  /** A piece failed its hash check and is fetched again. */
  void pieceFailed(int piece);

  /**
   * A piece seed mode trusted failed its check before its first upload: the torrent leaves seed
   * mode and checks every piece.
   */
  void seedModeFailed(int piece);

  /** A piece was verified and written. */
  void pieceVerified(int piece);

  /** Every wanted piece is verified, the wanted empty files created, resume data saved. */
  void finished();

  /** File priorities changed so that a finished torrent wants pieces again. */
  void wantsPiecesAgain();

  /** Returns whether {@code peer} is banned. */
  boolean isBanned(PeerKey peer);

  /** {@code peers} sent blocks that failed the hash check: ban them. */
  void convict(Set<PeerKey> peers);
}
