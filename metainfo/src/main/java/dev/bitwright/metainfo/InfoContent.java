package dev.bitwright.metainfo;

import java.util.List;
import java.util.Optional;

/** The validated content of an info dictionary. */
record InfoContent(
    TorrentVersion version,
    String name,
    int pieceLength,
    int pieceCount,
    long totalLength,
    List<FileEntry> files,
    byte[] pieces,
    boolean singleFile,
    boolean isPrivate,
    Optional<String> source) {}
