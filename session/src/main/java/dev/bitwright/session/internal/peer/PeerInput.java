package dev.bitwright.session.internal.peer;

import dev.bitwright.session.internal.net.Connection;
import dev.bitwright.wire.MessageDecoder;
import dev.bitwright.wire.PeerMessage;
import dev.bitwright.wire.Rc4;
import dev.bitwright.wire.WireLimits;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The receiving half of a peer connection: decryption in place of what arrives (each byte once,
 * though a read may be handled in several passes), framing, and dispatch of each message to the
 * connection's handler. Loop thread only.
 */
final class PeerInput {
  private final PeerConnection peer;
  private Rc4 decryptor;
  // Bytes at the start of the read buffer that are decrypted already but not consumed yet.
  private int decryptedPending;
  private MessageDecoder decoder;
  private PeerMessage.Handler handler;

  PeerInput(PeerConnection peer) {
    this.peer = peer;
  }

  /** Decrypts what arrives from now on with {@code decryptor} (null: plaintext). */
  void decryptWith(Rc4 decryptor) {
    this.decryptor = decryptor;
    this.decryptedPending = 0;
  }

  /** Decrypts bytes that arrived since the last call, in place. */
  void decryptNew(ByteBuffer data) {
    if (decryptor == null) {
      return;
    }
    int fresh = data.remaining() - decryptedPending;
    if (fresh > 0) {
      decryptor.apply(data.duplicate().position(data.position() + decryptedPending));
      decryptedPending = data.remaining();
    }
  }

  /** Notes that {@code bytes} of the decrypted bytes were consumed. */
  void consumed(int bytes) {
    decryptedPending -= bytes;
  }

  /** Starts decoding messages with {@code limits}, each dispatched to {@code handler}. */
  void startMessages(WireLimits limits, PeerMessage.Handler handler) {
    this.decoder = new MessageDecoder(limits);
    this.handler = handler;
  }

  /** Changes the decoder's limits (a magnet's metadata arrived). */
  void updateLimits(WireLimits limits) {
    if (decoder != null) {
      decoder.setLimits(limits);
    }
  }

  /** Decrypts what is new in {@code data}, then decodes and dispatches every whole message. */
  void messages(ByteBuffer data, Connection connection) throws IOException {
    decryptNew(data);
    decode(data, connection, true);
  }

  /**
   * Decodes and dispatches every whole message of {@code data} while the connection is active; with
   * {@code decrypted} the bytes consumed were decrypted in place by {@link #decryptNew} (false for
   * bytes the MSE handshake decrypted itself).
   */
  void decode(ByteBuffer data, Connection connection, boolean decrypted) throws IOException {
    while (peer.isActive()) {
      int start = data.position();
      PeerMessage m = decoder.decode(data);
      if (m == null) {
        if (data.remaining() >= 4) {
          connection.ensureReadCapacity(4 + data.getInt(data.position()));
        }
        return;
      }
      if (decrypted) {
        consumed(data.position() - start);
      }
      peer.received(m);
      m.dispatch(handler);
    }
  }
}
