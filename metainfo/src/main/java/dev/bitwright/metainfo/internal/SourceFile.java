package dev.bitwright.metainfo.internal;

import java.nio.file.Path;
import java.util.List;

/**
 * A file to put into a new torrent.
 *
 * @param file where the file is on disk
 * @param path its path components inside the torrent
 * @param length its length in bytes
 */
public record SourceFile(Path file, List<String> path, long length) {}
