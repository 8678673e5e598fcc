package dev.bitwright.session.internal.data;

import dev.bitwright.bencode.BencodeDictionary;
import dev.bitwright.bencode.BencodeEncoder;
import dev.bitwright.metainfo.MetainfoException;
import dev.bitwright.metainfo.Torrent;
import dev.bitwright.session.internal.peer.Block;
import dev.bitwright.storage.PieceMap;
import java.io.UncheckedIOException;

/** Piece maps for picker tests, from a v1 info dictionary with made-up piece hashes. */
final class TestMaps {
  private TestMaps() {}

  /** Returns the map of one file of {@code length} bytes in pieces of {@code pieceLength}. */
  static PieceMap map(int pieceLength, long length) {
    int pieces = (int) ((length + pieceLength - 1) / pieceLength);
    byte[] info =
        BencodeEncoder.encode(
            BencodeDictionary.builder()
                .put("length", length)
                .put("name", "test.bin")
                .put("piece length", pieceLength)
                .put("pieces", new byte[20 * pieces])
                .build());
    try {
      return PieceMap.of(Torrent.parseInfo(info));
    } catch (MetainfoException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Returns a map of {@code pieces} pieces of {@code blocks} full blocks each. */
  static PieceMap blocks(int pieces, int blocks) {
    return map(blocks * Block.SIZE, (long) pieces * blocks * Block.SIZE);
  }
}
