package dev.bitwright.metainfo;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Map;

/** Checks the BEP 52 {@code piece layers} of a v2 or hybrid torrent against its pieces roots. */
final class PieceLayers {
  private PieceLayers() {}

  /**
   * Every file longer than one piece needs a layer of one hash per piece whose merkle root is the
   * file's pieces root; files of one piece or less have none (their root is enough).
   *
   * @param required whether missing layers are an error (they are in a .torrent file, but not in an
   *     info dictionary received from peers)
   */
  static void check(InfoContent info, Map<MerkleRoot, byte[]> layers, boolean required)
      throws MetainfoException {
    MessageDigest sha256 = MerkleTree.sha256();
    int blocksPerPiece = info.pieceLength() / MerkleTree.BLOCK_SIZE;
    int height = Integer.numberOfTrailingZeros(blocksPerPiece);
    for (FileEntry file : info.files()) {
      if (file.isPadding() || file.length() <= info.pieceLength()) {
        continue;
      }
      MerkleRoot root = file.piecesRoot().orElseThrow();
      byte[] layer = layers.get(root);
      String field = "piece layers." + root;
      if (layer == null) {
        if (required) {
          throw new MetainfoException(field, "missing for " + file.pathString());
        }
        continue;
      }
      long pieces = (file.length() + info.pieceLength() - 1) / info.pieceLength();
      if (layer.length != pieces * MerkleTree.HASH_LENGTH) {
        throw new MetainfoException(
            field, "holds " + layer.length + " bytes, expected 32 for each of " + pieces);
      }
      byte[] computed = MerkleTree.root(layer, (int) pieces, height, sha256);
      if (!Arrays.equals(computed, root.bytes())) {
        throw new MetainfoException(field, "does not hash to the pieces root");
      }
    }
  }
}
