package dev.bitwright.session.internal.peer;

import com.google.common.io.BaseEncoding;
import dev.bitwright.wire.PeerMessage;
import dev.bitwright.wire.PeerMessage.AllowedFast;
import dev.bitwright.wire.PeerMessage.Bitfield;
import dev.bitwright.wire.PeerMessage.Cancel;
import dev.bitwright.wire.PeerMessage.Choke;
import dev.bitwright.wire.PeerMessage.Extended;
import dev.bitwright.wire.PeerMessage.HashRange;
import dev.bitwright.wire.PeerMessage.HashReject;
import dev.bitwright.wire.PeerMessage.HashRequest;
import dev.bitwright.wire.PeerMessage.Hashes;
import dev.bitwright.wire.PeerMessage.Have;
import dev.bitwright.wire.PeerMessage.HaveAll;
import dev.bitwright.wire.PeerMessage.HaveNone;
import dev.bitwright.wire.PeerMessage.Interested;
import dev.bitwright.wire.PeerMessage.KeepAlive;
import dev.bitwright.wire.PeerMessage.NotInterested;
import dev.bitwright.wire.PeerMessage.Piece;
import dev.bitwright.wire.PeerMessage.Port;
import dev.bitwright.wire.PeerMessage.Reject;
import dev.bitwright.wire.PeerMessage.Request;
import dev.bitwright.wire.PeerMessage.Suggest;
import dev.bitwright.wire.PeerMessage.Unchoke;
import dev.bitwright.wire.PeerMessage.Unknown;

/**
 * A message as a wire-trace event: its name and decoded fields, {@code "request piece=3
 * offset=16384 length=16384"}. Names are BEP 3's, 6's, 10's and 52's in lower case with dashes
 * ({@code keep-alive}, {@code have-all}, {@code allowed-fast}, {@code hash-request}); a bitfield
 * gives its piece count and how many are set, an extended message its id and length, hashes the
 * pieces root's first 8 bytes in hex. A typed handler, so that a new message type cannot be left
 * out. Loop thread only (it reuses one builder).
 */
final class WireTraceFormat implements PeerMessage.Handler {
  private final StringBuilder text = new StringBuilder(96);

  /** Returns {@code message} as a trace event. */
  String describe(PeerMessage message) {
    text.setLength(0);
    try {
      message.dispatch(this);
    } catch (dev.bitwright.wire.WireException e) {
      throw new IllegalStateException("the formatter throws nothing", e);
    }
    return text.toString();
  }

  private void blockFields(String name, int piece, int offset, int length) {
    text.append(name)
        .append(" piece=")
        .append(piece)
        .append(" offset=")
        .append(offset)
        .append(" length=")
        .append(length);
  }

  private void range(String name, HashRange r) {
    text.append(name)
        .append(" root=")
        .append(BaseEncoding.base16().lowerCase().encode(r.piecesRoot(), 0, 8))
        .append(" base=")
        .append(r.baseLayer())
        .append(" index=")
        .append(r.index())
        .append(" length=")
        .append(r.length())
        .append(" proof=")
        .append(r.proofLayers());
  }

  @Override
  public void onKeepAlive(KeepAlive message) {
    text.append("keep-alive");
  }

  @Override
  public void onChoke(Choke message) {
    text.append("choke");
  }

  @Override
  public void onUnchoke(Unchoke message) {
    text.append("unchoke");
  }

  @Override
  public void onInterested(Interested message) {
    text.append("interested");
  }

  @Override
  public void onNotInterested(NotInterested message) {
    text.append("not-interested");
  }

  @Override
  public void onHave(Have message) {
    text.append("have piece=").append(message.piece());
  }

  @Override
  public void onBitfield(Bitfield message) {
    byte[] bits = message.bits();
    int set = 0;
    for (byte b : bits) {
      set += Integer.bitCount(b & 0xFF);
    }
    text.append("bitfield bytes=").append(bits.length).append(" set=").append(set);
  }

  @Override
  public void onRequest(Request message) {
    blockFields("request", message.piece(), message.offset(), message.length());
  }

  @Override
  public void onPiece(Piece message) {
    blockFields("piece", message.piece(), message.offset(), message.length());
  }

  @Override
  public void onCancel(Cancel message) {
    blockFields("cancel", message.piece(), message.offset(), message.length());
  }

  @Override
  public void onPort(Port message) {
    text.append("port port=").append(message.port());
  }

  @Override
  public void onSuggest(Suggest message) {
    text.append("suggest piece=").append(message.piece());
  }

  @Override
  public void onHaveAll(HaveAll message) {
    text.append("have-all");
  }

  @Override
  public void onHaveNone(HaveNone message) {
    text.append("have-none");
  }

  @Override
  public void onReject(Reject message) {
    blockFields("reject", message.piece(), message.offset(), message.length());
  }

  @Override
  public void onAllowedFast(AllowedFast message) {
    text.append("allowed-fast piece=").append(message.piece());
  }

  @Override
  public void onExtended(Extended message) {
    text.append("extended id=")
        .append(message.id())
        .append(" length=")
        .append(message.payloadBuffer().remaining());
  }

  @Override
  public void onHashRequest(HashRequest message) {
    range("hash-request", message.request());
  }

  @Override
  public void onHashes(Hashes message) {
    range("hashes", message.request());
    text.append(" bytes=").append(message.hashes().length);
  }

  @Override
  public void onHashReject(HashReject message) {
    range("hash-reject", message.request());
  }

  @Override
  public void onUnknown(Unknown message) {
    text.append("unknown id=").append(message.id()).append(" length=").append(message.length());
  }
}
