package dev.bitwright.session.internal.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.session.internal.peer.Block;
import dev.bitwright.session.internal.torrent.PeerProtocol;
import dev.bitwright.storage.PieceMap;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * A few simulated peers pick, receive and drop blocks in random order, as {@link PeerProtocol} does
 * (the first copy of a block cancels the others; a completed piece is verified, or fails once and
 * is downloaded again). Every wanted block must arrive exactly once per download of its piece, and
 * no peer may be handed a block it has been asked for already. (Bounded loops: jqwik has no
 * {@code @Timeout}.)
 */
class PiecePickerProperties {
  private static final int MAX_DRAIN_ROUNDS = 5_000;

  private static final class Peer implements PiecePicker.PeerRequests {
    final BitSet has; // null: a seed
    final Set<Block> outstanding = new LinkedHashSet<>();

    Peer(BitSet has) {
      this.has = has;
    }

    @Override
    public boolean contains(Block block) {
      return outstanding.contains(block);
    }
  }

  private static final class Swarm {
    final PieceMap map;
    final PiecePicker picker;
    final List<Peer> peers = new ArrayList<>();
    final BitSet wanted = new BitSet();
    final Map<Block, Integer> arrivals = new HashMap<>();
    final Set<Integer> failedOnce = new HashSet<>();
    final SplittableRandom random;

    Swarm(PieceMap map, int peerCount, long seed) {
      this.map = map;
      this.random = new SplittableRandom(seed);
      BitSet have = new BitSet();
      for (int p = 0; p < map.pieceCount(); p++) {
        if (random.nextInt(5) == 0) {
          have.set(p);
        }
      }
      picker = new PiecePicker(map, have, random.split());
      for (int p = 0; p < map.pieceCount(); p++) {
        int level = random.nextInt(6) == 0 ? 0 : random.nextInt(4) == 0 ? 2 : 1;
        picker.setPriority(p, level);
        if (level > 0 && !have.get(p)) {
          wanted.set(p);
        }
      }
      for (int i = 0; i < peerCount; i++) {
        if (random.nextInt(4) == 0) {
          peers.add(new Peer(null));
          picker.seedJoined();
          continue;
        }
        BitSet has = new BitSet();
        for (int p = 0; p < map.pieceCount(); p++) {
          if (random.nextBoolean()) {
            has.set(p);
          }
        }
        peers.add(new Peer(has));
      }
      for (int p = wanted.nextSetBit(0); p >= 0; p = wanted.nextSetBit(p + 1)) {
        Peer somebody = peers.get(random.nextInt(peerCount));
        if (somebody.has != null) {
          somebody.has.set(p);
        }
      }
      for (Peer peer : peers) {
        if (peer.has != null) {
          peer.has.stream().forEach(picker::peerHas);
        }
      }
    }

    void pick(Peer peer, int count) {
      List<Block> blocks = picker.pick(peer.has, count, peer, null);
      assertThat(blocks.size()).isLessThanOrEqualTo(count);
      assertThat(blocks).doesNotHaveDuplicates();
      for (Block b : blocks) {
        assertThat(peer.outstanding).as("asked twice for %s", b).doesNotContain(b);
        assertThat(wanted.get(b.piece())).as("%s is wanted", b).isTrue();
        assertThat(picker.have(b.piece())).as("%s: piece not had", b).isFalse();
        assertThat(peer.has == null || peer.has.get(b.piece())).as("peer has %s", b).isTrue();
        assertThat(arrivals.getOrDefault(b, 0)).as("%s arrived already", b).isZero();
        assertThat(b.length())
            .isEqualTo(Math.min(Block.SIZE, map.pieceSize(b.piece()) - b.offset()));
        peer.outstanding.add(b);
        long copies = peers.stream().filter(p -> p.outstanding.contains(b)).count();
        assertThat(copies).isLessThanOrEqualTo(PiecePicker.ENDGAME_COPIES);
      }
    }

    void receive(Peer peer, Block block) {
      peer.outstanding.remove(block);
      assertThat(picker.received(block)).as("first copy of %s", block).isTrue();
      assertThat(arrivals.merge(block, 1, Integer::sum)).as("arrivals of %s", block).isEqualTo(1);
      for (Peer other : peers) {
        if (other != peer && other.outstanding.remove(block)) {
          picker.requestDropped(block); // cancelled
        }
      }
      int piece = block.piece();
      if (!picker.allBlocksReceived(piece)) {
        return;
      }
      if (!failedOnce.contains(piece) && random.nextInt(4) == 0) {
        failedOnce.add(piece);
        picker.pieceFailed(piece);
        arrivals.keySet().removeIf(b -> b.piece() == piece);
      } else {
        picker.pieceVerified(piece);
      }
    }

    void drop(Peer peer, Block block) {
      peer.outstanding.remove(block);
      picker.requestDropped(block);
    }

    static <T> T nth(Set<T> set, int n) {
      return new ArrayList<>(set).get(n % set.size());
    }
  }

  @Property(tries = 300)
  void everyBlockArrivesExactlyOnceAndNoPeerIsAskedTwice(
      @ForAll @IntRange(min = 0, max = 2) int shift,
      @ForAll @IntRange(min = 1, max = 12) int pieceCount,
      @ForAll @IntRange(min = 1, max = 65_536) int lastPiece,
      @ForAll @IntRange(min = 1, max = 4) int peerCount,
      @ForAll @Size(max = 300) List<@IntRange(min = 0, max = 1_000_000) Integer> actions,
      @ForAll long seed) {
    int pieceLength = Block.SIZE << shift;
    long length = (long) (pieceCount - 1) * pieceLength + Math.min(lastPiece, pieceLength);
    Swarm swarm = new Swarm(TestMaps.map(pieceLength, length), peerCount, seed);
    for (int a : actions) {
      Peer peer = swarm.peers.get((a / 4) % peerCount);
      int n = a / 16;
      switch (a % 4) {
        case 0, 1 -> swarm.pick(peer, 1 + n % 8);
        case 2 -> {
          if (!peer.outstanding.isEmpty()) {
            swarm.receive(peer, Swarm.nth(peer.outstanding, n));
          }
        }
        default -> {
          if (n % 5 == 0) { // choked or gone: every request dropped
            for (Block b : List.copyOf(peer.outstanding)) {
              swarm.drop(peer, b);
            }
          } else if (!peer.outstanding.isEmpty()) {
            swarm.drop(peer, Swarm.nth(peer.outstanding, n));
          }
        }
      }
    }
    int rounds = 0;
    while (!swarm.picker.isComplete() && rounds++ < MAX_DRAIN_ROUNDS) {
      for (Peer peer : swarm.peers) {
        swarm.pick(peer, 8);
      }
      for (Peer peer : swarm.peers) {
        for (Block b : List.copyOf(peer.outstanding)) {
          if (peer.outstanding.contains(b)) {
            swarm.receive(peer, b);
          }
        }
      }
    }
    assertThat(swarm.picker.isComplete()).as("complete after %d rounds", rounds).isTrue();
    for (int p = swarm.wanted.nextSetBit(0); p >= 0; p = swarm.wanted.nextSetBit(p + 1)) {
      assertThat(swarm.picker.have(p)).isTrue();
      int blocks = (swarm.map.pieceSize(p) + Block.SIZE - 1) / Block.SIZE;
      for (int b = 0; b < blocks; b++) {
        int offset = b * Block.SIZE;
        Block block = new Block(p, offset, Math.min(Block.SIZE, swarm.map.pieceSize(p) - offset));
        assertThat(swarm.arrivals.get(block)).as("arrivals of %s", block).isEqualTo(1);
      }
    }
    for (Peer peer : swarm.peers) {
      assertThat(peer.outstanding).isEmpty();
    }
  }
}
