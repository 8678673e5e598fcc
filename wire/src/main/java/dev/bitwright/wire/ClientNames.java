package dev.bitwright.wire;

import java.util.Map;
import java.util.Optional;

/** Names of the BitTorrent clients behind peer ids (BEP 20 and common practice). */
final class ClientNames {
  private static final Map<String, String> AZUREUS_CODES =
      Map.ofEntries(
          Map.entry("BW", "Bitwright"),
          Map.entry("LT", "libtorrent"),
          Map.entry("lt", "rTorrent"),
          Map.entry("qB", "qBittorrent"),
          Map.entry("TR", "Transmission"),
          Map.entry("UT", "uTorrent"),
          Map.entry("UM", "uTorrent Mac"),
          Map.entry("DE", "Deluge"),
          Map.entry("AZ", "Azureus"),
          Map.entry("BI", "BiglyBT"),
          Map.entry("BC", "BitComet"),
          Map.entry("KT", "KTorrent"),
          Map.entry("FD", "Free Download Manager"),
          Map.entry("WW", "WebTorrent"),
          Map.entry("BT", "BitTorrent"),
          Map.entry("TX", "Tixati"));

  private ClientNames() {}

  static Optional<String> describe(byte[] id) {
    if (id[0] == '-' && id[7] == '-' && letters(id, 1, 3) && alphanumeric(id, 3, 7)) {
      String code = new String(new char[] {(char) id[1], (char) id[2]});
      String name = AZUREUS_CODES.getOrDefault(code, code);
      StringBuilder version = new StringBuilder();
      for (int i = 3; i < 7; i++) {
        version.append(i == 3 ? "" : ".").append(Character.digit(id[i], 36));
      }
      return Optional.of(name + " " + version);
    }
    if (id[0] == 'A' && id[1] == '2' && id[2] == '-') {
      return Optional.of("aria2");
    }
    if (id[0] == 'M' && Character.isDigit(id[1]) && id[2] == '-') {
      return Optional.of("Mainline");
    }
    return Optional.empty();
  }

  private static boolean letters(byte[] id, int from, int to) {
    for (int i = from; i < to; i++) {
      if (!Character.isLetter(id[i])) {
        return false;
      }
    }
    return true;
  }

  private static boolean alphanumeric(byte[] id, int from, int to) {
    for (int i = from; i < to; i++) {
      if (!Character.isLetterOrDigit(id[i])) {
        return false;
      }
    }
    return true;
  }
}
