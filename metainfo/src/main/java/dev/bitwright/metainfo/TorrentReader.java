package dev.bitwright.metainfo;

import static dev.bitwright.metainfo.internal.Fields.asDictionary;
import static dev.bitwright.metainfo.internal.Fields.asList;
import static dev.bitwright.metainfo.internal.Fields.asString;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.bitwright.bencode.BencodeDecoder;
import dev.bitwright.bencode.BencodeDictionary;
import dev.bitwright.bencode.BencodeException;
import dev.bitwright.bencode.BencodeInteger;
import dev.bitwright.bencode.BencodeList;
import dev.bitwright.bencode.BencodeString;
import dev.bitwright.bencode.BencodeValue;
import dev.bitwright.bencode.ByteRange;
import dev.bitwright.metainfo.internal.Fields;
import dev.bitwright.metainfo.internal.PathRules;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Reads and validates a {@code .torrent} file or a bare info dictionary. */
final class TorrentReader {
  /** Real-world torrents are not always canonical: unsorted keys are accepted, as by libtorrent. */
  private static final BencodeDecoder DECODER =
      BencodeDecoder.builder().allowUnsortedKeys(true).build();

  private TorrentReader() {}

  static Torrent readTorrent(byte[] bytes) throws MetainfoException {
    BencodeDictionary root = asDictionary(decode(bytes), "(root)");
    Fields top = new Fields(root, "");
    top.dictionary("info");
    ByteRange range = root.valueRange("info").orElseThrow();
    byte[] infoBytes = Arrays.copyOfRange(bytes, range.start(), range.end());
    Map<MerkleRoot, byte[]> layers = readPieceLayers(top);
    return build(root, infoBytes, layers, true);
  }

  static Torrent readInfo(byte[] infoBytes) throws MetainfoException {
    asDictionary(decode(infoBytes), "info");
    BencodeDictionary root = asDictionary(decode(wrapInfo(infoBytes)), "(root)");
    return build(root, infoBytes.clone(), Map.of(), false);
  }

  private static byte[] wrapInfo(byte[] infoBytes) {
    byte[] prefix = "d4:info".getBytes(StandardCharsets.US_ASCII);
    byte[] wrapped = new byte[prefix.length + infoBytes.length + 1];
    System.arraycopy(prefix, 0, wrapped, 0, prefix.length);
    System.arraycopy(infoBytes, 0, wrapped, prefix.length, infoBytes.length);
    wrapped[wrapped.length - 1] = 'e';
    return wrapped;
  }

  private static BencodeValue decode(byte[] bytes) throws MetainfoException {
    try {
      return DECODER.decode(bytes);
    } catch (BencodeException e) {
      throw new MetainfoException(null, "malformed bencode: " + e.getMessage(), e.offset(), e);
    }
  }

  private static Torrent build(
      BencodeDictionary root, byte[] infoBytes, Map<MerkleRoot, byte[]> layers, boolean needLayers)
      throws MetainfoException {
    Fields top = new Fields(root, "");
    InfoContent info = InfoReader.read(new Fields(top.dictionary("info"), "info"));
    if (info.version().hasV2()) {
      PieceLayers.check(info, layers, needLayers);
    }
    return new Torrent(
        root,
        infoBytes,
        info,
        layers,
        trackers(top),
        webSeeds(top),
        creationDate(top),
        top.lenientText("comment.utf-8").or(() -> top.lenientText("comment")),
        top.lenientText("created by"),
        top.lenientText("encoding"));
  }

  private static Map<MerkleRoot, byte[]> readPieceLayers(Fields top) throws MetainfoException {
    Optional<BencodeDictionary> dict = top.optionalDictionary("piece layers");
    if (dict.isEmpty()) {
      return Map.of();
    }
    ImmutableMap.Builder<MerkleRoot, byte[]> layers = ImmutableMap.builder();
    for (Map.Entry<BencodeString, BencodeValue> e : dict.get().entries().entrySet()) {
      String field = "piece layers";
      if (e.getKey().length() != MerkleRoot.LENGTH) {
        throw new MetainfoException(field, "key is not a 32-byte pieces root");
      }
      layers.put(new MerkleRoot(e.getKey().bytes()), asString(e.getValue(), field).bytes());
    }
    return layers.buildOrThrow();
  }

  /** Tiers from {@code announce-list} (BEP 12), else the single {@code announce} URL. */
  private static List<List<String>> trackers(Fields top) {
    ImmutableList.Builder<List<String>> tiers = ImmutableList.builder();
    Optional<BencodeValue> list = top.optional("announce-list");
    if (list.isPresent() && list.get() instanceof BencodeList outer) {
      for (BencodeValue tierValue : outer.values()) {
        if (tierValue instanceof BencodeList tier) {
          List<String> urls = new ArrayList<>();
          for (BencodeValue url : tier.values()) {
            if (url instanceof BencodeString s && !s.text().isBlank()) {
              urls.add(s.text().strip());
            }
          }
          if (!urls.isEmpty()) {
            tiers.add(List.copyOf(urls));
          }
        }
      }
    }
    List<List<String>> result = tiers.build();
    if (result.isEmpty()) {
      Optional<String> announce = top.lenientText("announce").map(String::strip);
      if (announce.isPresent() && !announce.get().isEmpty()) {
        return List.of(List.of(announce.get()));
      }
    }
    return result;
  }

  /** Web seeds of BEP 19: {@code url-list} is one URL or a list of them. */
  private static List<String> webSeeds(Fields top) {
    Optional<BencodeValue> value = top.optional("url-list");
    ImmutableList.Builder<String> seeds = ImmutableList.builder();
    if (value.isPresent() && value.get() instanceof BencodeString s && !s.text().isBlank()) {
      seeds.add(s.text().strip());
    } else if (value.isPresent() && value.get() instanceof BencodeList l) {
      for (BencodeValue v : l.values()) {
        if (v instanceof BencodeString s && !s.text().isBlank()) {
          seeds.add(s.text().strip());
        }
      }
    }
    return seeds.build();
  }

  /** A creation date that is not a valid instant is ignored, as other clients do. */
  private static Optional<Instant> creationDate(Fields top) {
    Optional<BencodeValue> value = top.optional("creation date");
    if (value.isPresent() && value.get() instanceof BencodeInteger i) {
      try {
        return Optional.of(Instant.ofEpochSecond(i.value()));
      } catch (DateTimeException e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  /** Checks a list value of path components and returns them as text. */
  static List<String> pathComponents(@Nullable BencodeValue value, String field)
      throws MetainfoException {
    if (value == null) {
      throw new MetainfoException(field, "missing");
    }
    BencodeList list = asList(value, field);
    if (list.size() == 0) {
      throw new MetainfoException(field, "empty path");
    }
    List<String> components = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      String component = asString(list.get(i), field + "[" + i + "]").text();
      components.add(PathRules.checkComponent(component, field));
    }
    return components;
  }
}
