package dev.bitwright.session.internal.torrent;

import dev.bitwright.session.CloseReason;
import dev.bitwright.session.PeerSource;
import dev.bitwright.session.internal.data.TorrentData;
import dev.bitwright.session.internal.peer.PeerConnection;
import dev.bitwright.wire.DontHave;
import dev.bitwright.wire.EncryptionPolicy;
import dev.bitwright.wire.ExtensionHandshake;
import dev.bitwright.wire.MetadataAssembler;
import dev.bitwright.wire.MetadataMessage;
import dev.bitwright.wire.PeerMessage;
import dev.bitwright.wire.PexMessage;
import dev.bitwright.wire.PexSender;
import dev.bitwright.wire.UploadOnly;
import dev.bitwright.wire.WireException;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The extension protocol (BEP 10) for one torrent: our handshake and the peer's, ut_metadata
 * (serving, with a quota per peer; fetching is the {@link MetadataFetcher}'s), ut_pex both ways,
 * lt_donthave and upload_only. Loop thread only.
 */
final class ExtensionMessages {
  static final int UT_PEX = 1;
  static final int UT_METADATA = 2;
  static final int LT_DONTHAVE = 3;
  static final int UPLOAD_ONLY = 4;

  private static final int METADATA_BACKLOG = 32 * 1024;
  private static final long METADATA_WINDOW_NANOS = 60_000_000_000L;

  private final TorrentRuntime torrent;
  private final Availability availability;
  private final Map<PeerConnection, PexSender> pex = new HashMap<>();
  private final Map<PeerConnection, MetadataQuota> metadataQuotas = new HashMap<>();

  ExtensionMessages(TorrentRuntime torrent, Availability availability) {
    this.torrent = torrent;
    this.availability = availability;
  }

  /** Metadata pieces served to one peer in the current minute. */
  private static final class MetadataQuota {
    long windowStart;
    int served;
    int asked;

    MetadataQuota(long now) {
      windowStart = now;
    }
  }

  void sendHandshake(PeerConnection p) {
    Map<String, Integer> m = new HashMap<>();
    m.put(ExtensionHandshake.UT_METADATA, UT_METADATA);
    m.put(ExtensionHandshake.LT_DONTHAVE, LT_DONTHAVE);
    m.put(ExtensionHandshake.UPLOAD_ONLY, UPLOAD_ONLY);
    if (!torrent.isPrivate()) {
      m.put(ExtensionHandshake.UT_PEX, UT_PEX);
    }
    TorrentData data = torrent.data();
    OptionalInt metadataSize =
        data == null ? OptionalInt.empty() : OptionalInt.of(data.infoBytes().length);
    ExtensionHandshake ours =
        new ExtensionHandshake(
            m,
            Optional.of(torrent.host().config().userAgent()),
            OptionalInt.of(torrent.host().listenPort()),
            OptionalInt.of(UploadScheduler.MAX_QUEUED_UPLOADS),
            Optional.of(p.address().getAddress()),
            metadataSize,
            torrent.isUploadOnly(),
            torrent.host().settings().encryption() != EncryptionPolicy.DISABLED);
    p.send(new PeerMessage.Extended(0, ours.encode()));
  }

  void extended(PeerConnection p, PeerMessage.Extended e) {
    try {
      switch (e.id()) {
        case 0 -> {
          p.state().extensionsReceived(ExtensionHandshake.decode(e.payload()));
          torrent.metadata().fetcher().ifPresent(f -> f.peerReady(p));
          availability.closeIfBothUploadOnly(p);
        }
        case UPLOAD_ONLY -> {
          p.state().setUploadOnly(UploadOnly.decode(e.payload()).uploadOnly());
          availability.closeIfBothUploadOnly(p);
        }
        case UT_METADATA -> metadata(p, MetadataMessage.decode(e.payload()));
        case UT_PEX -> pexReceived(PexMessage.decode(e.payload()));
        case LT_DONTHAVE -> {
          if (torrent.dataKnown()) {
            int pieces = torrent.data().pieceCount();
            availability.dontHave(p, DontHave.decode(e.payload(), pieces).piece());
          }
        }
        default -> {
          // an extension we did not announce: ignore
        }
      }
    } catch (WireException ex) {
      p.close(CloseReason.PROTOCOL_ERROR, "bad extension message: " + ex.getMessage());
    }
  }

  private void metadata(PeerConnection p, MetadataMessage m) throws WireException {
    if (m instanceof MetadataMessage.Request r) {
      MetadataMessage answer =
          torrent.data() == null || !mayServeMetadata(p)
              ? new MetadataMessage.Reject(r.piece())
              : MetadataAssembler.serve(torrent.data().infoBytes(), r.piece());
      p.sendExtended(ExtensionHandshake.UT_METADATA, answer.encode());
    } else {
      torrent.metadata().fetcher().ifPresent(f -> f.received(p, m));
    }
  }

  /**
   * Returns whether a metadata piece may go to {@code p} now: each request costs it 40 bytes and us
   * 16 KiB, so a peer gets the whole metadata twice a minute at most, and nothing while a reply is
   * still waiting for it to read.
   */
  private boolean mayServeMetadata(PeerConnection p) {
    long now = torrent.nanoTime();
    MetadataQuota quota = metadataQuotas.computeIfAbsent(p, k -> new MetadataQuota(now));
    if (now - quota.windowStart > METADATA_WINDOW_NANOS) {
      quota.windowStart = now;
      quota.served = 0;
      quota.asked = 0;
    }
    int length = torrent.data().infoBytes().length;
    int pieces = (length + MetadataMessage.PIECE_SIZE - 1) / MetadataMessage.PIECE_SIZE;
    if (++quota.asked > 8 * pieces + 32) {
      // Asking for it again and again is not fetching it: every request costs us a reply.
      p.close(CloseReason.METADATA_FLOOD);
      return false;
    }
    if (p.pendingOutput() > METADATA_BACKLOG || quota.served >= 2 * pieces + 2) {
      return false;
    }
    quota.served++;
    return true;
  }

  private void pexReceived(PexMessage m) {
    if (torrent.isPrivate()) {
      return;
    }
    m.added().stream()
        .limit(PexMessage.MAX_RECEIVED_ENTRIES)
        .forEach(
            peer -> {
              if ((peer.flags() & PexMessage.UTP) != 0) {
                torrent.host().speaksUtp(peer.address());
              }
              torrent.peerSet().addCandidate(peer.address(), PeerSource.PEX);
            });
  }

  /**
   * Every second: sends {@code p} the peers connected now that it was not told of (BEP 11), from
   * {@code connected} (listening endpoints and their PEX flags). Never for private torrents.
   */
  void sendPex(PeerConnection p, Map<InetSocketAddress, Integer> connected, long now) {
    PexSender sender = pex.computeIfAbsent(p, k -> new PexSender());
    Map<InetSocketAddress, Integer> others = new HashMap<>(connected);
    others.remove(p.listenEndpoint());
    // BEP 27: peers of a private torrent come from its trackers only, never from PEX.
    if (!torrent.isPrivate() && p.state().extensionId(ExtensionHandshake.UT_PEX).isPresent()) {
      sender
          .nextMessage(others, now)
          .ifPresent(msg -> p.sendExtended(ExtensionHandshake.UT_PEX, msg.encode()));
    }
  }

  /** Returns the PEX flags that describe {@code p} to other peers. */
  static int pexFlags(PeerConnection p) {
    int f = 0;
    if (p.isEncrypted()) {
      f |= PexMessage.PREFERS_ENCRYPTION;
    }
    if (p.state().isSeed()) {
      f |= PexMessage.SEED;
    }
    if (p.isOutgoing()) {
      f |= PexMessage.REACHABLE;
    }
    if (p.overUtp()) {
      f |= PexMessage.UTP;
    }
    return f;
  }

  void disconnected(PeerConnection p) {
    pex.remove(p);
    metadataQuotas.remove(p);
  }

  /** Returns the connected peers' listening endpoints and PEX flags, for {@link #sendPex}. */
  static Map<InetSocketAddress, Integer> endpoints(List<PeerConnection> peers) {
    // Only peers whose listening port is known: a connection's own port reaches nobody.
    Map<InetSocketAddress, Integer> connected = new HashMap<>();
    for (PeerConnection p : peers) {
      InetSocketAddress endpoint = p.listenEndpoint();
      if (endpoint != null) {
        connected.put(endpoint, pexFlags(p));
      }
    }
    return connected;
  }
}
