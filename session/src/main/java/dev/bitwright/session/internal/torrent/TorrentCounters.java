package dev.bitwright.session.internal.torrent;

/**
 * One torrent's counters for its metrics (the byte totals live in {@link TransferLimits}). Loop
 * thread only.
 */
final class TorrentCounters {
  long wastedBytes;
  long redundantBytes;
  long hashFailures;
  long piecesVerified;
  long requestsSent;
  long requestsCancelled;
  long requestsRejected;
  long chokeRounds;
  long unchokes;
  long chokes;
}
