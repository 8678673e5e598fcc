package dev.bitwright.metainfo.internal;

import dev.bitwright.metainfo.MetainfoException;
import java.util.Locale;
import java.util.Set;

/**
 * The rules that keep a torrent's file paths inside the download folder, and the mapping of names
 * that Windows cannot store.
 */
public final class PathRules {
  private static final String WINDOWS_RESERVED_CHARACTERS = "<>:\"|?*";
  private static final Set<String> WINDOWS_DEVICE_NAMES =
      Set.of(
          "CON",
          "PRN",
          "AUX",
          "NUL",
          "COM0",
          "COM1",
          "COM2",
          "COM3",
          "COM4",
          "COM5",
          "COM6",
          "COM7",
          "COM8",
          "COM9",
          "COM\u00B9",
          "COM\u00B2",
          "COM\u00B3",
          "LPT0",
          "LPT1",
          "LPT2",
          "LPT3",
          "LPT4",
          "LPT5",
          "LPT6",
          "LPT7",
          "LPT8",
          "LPT9",
          "LPT\u00B9",
          "LPT\u00B2",
          "LPT\u00B3");

  private PathRules() {}

  /**
   * Checks one path component: it must not be empty, {@code .} or {@code ..}, and must hold no path
   * separator ({@code /} or {@code \}) and no NUL. Together with relative joining this guarantees
   * that no path escapes the download folder.
   *
   * @return {@code component}
   * @throws MetainfoException naming {@code field} if the component is unsafe
   */
  public static String checkComponent(String component, String field) throws MetainfoException {
    if (component.isEmpty()) {
      throw new MetainfoException(field, "empty path component");
    }
    if (component.equals(".") || component.equals("..")) {
      throw new MetainfoException(field, "path component '" + component + "' is not allowed");
    }
    for (int i = 0; i < component.length(); i++) {
      char c = component.charAt(i);
      if (c == '/' || c == '\\' || c == '\0') {
        throw new MetainfoException(
            field, "path component contains a forbidden character (U+" + hex(c) + ")");
      }
    }
    return component;
  }

  private static String hex(char c) {
    return String.format(Locale.ROOT, "%04X", (int) c);
  }

  /** Returns {@code component} made storable on Windows (see {@code FileEntry.portablePath}). */
  public static String portableComponent(String component) {
    StringBuilder out = new StringBuilder(component.length() + 1);
    for (int i = 0; i < component.length(); i++) {
      char c = component.charAt(i);
      out.append(c < 0x20 || WINDOWS_RESERVED_CHARACTERS.indexOf(c) >= 0 ? '_' : c);
    }
    for (int i = out.length() - 1; i >= 0 && (out.charAt(i) == '.' || out.charAt(i) == ' '); i--) {
      out.setCharAt(i, '_');
    }
    int dot = out.indexOf(".");
    String stem = (dot < 0 ? out.toString() : out.substring(0, dot)).toUpperCase(Locale.ROOT);
    if (WINDOWS_DEVICE_NAMES.contains(stem.stripTrailing())) {
      out.insert(0, '_');
    }
    return out.toString();
  }
}
