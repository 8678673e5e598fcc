package dev.bitwright.metainfo;

import java.util.EnumSet;
import java.util.Set;

/** A file attribute of BEP 47, stored as one character of a file's {@code attr} string. */
public enum FileAttribute {
  /** A padding file: never stored on disk, its bytes are zeros ({@code p}). */
  PADDING('p'),
  /** An executable file ({@code x}). */
  EXECUTABLE('x'),
  /** A hidden file ({@code h}). */
  HIDDEN('h'),
  /** A symbolic link, whose target is the file's {@code symlink path} ({@code l}). */
  SYMLINK('l');

  private final char code;

  FileAttribute(char code) {
    this.code = code;
  }

  /** {@return the character that stands for this attribute in an {@code attr} string} */
  public char code() {
    return code;
  }

  /**
   * {@return the attributes named in an {@code attr} string; unknown characters are ignored}
   *
   * @param attr a file's BEP 47 {@code attr} string, such as {@code "px"}
   */
  public static Set<FileAttribute> parse(String attr) {
    Set<FileAttribute> set = EnumSet.noneOf(FileAttribute.class);
    for (FileAttribute a : values()) {
      if (attr.indexOf(a.code) >= 0) {
        set.add(a);
      }
    }
    return set;
  }

  /**
   * {@return the {@code attr} string for a set of attributes, in declaration order}
   *
   * @param attributes the attributes to write
   */
  public static String format(Set<FileAttribute> attributes) {
    StringBuilder attr = new StringBuilder();
    for (FileAttribute a : values()) {
      if (attributes.contains(a)) {
        attr.append(a.code);
      }
    }
    return attr.toString();
  }
}
