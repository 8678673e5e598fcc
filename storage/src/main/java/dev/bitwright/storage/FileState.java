package dev.bitwright.storage;

/**
 * What a stored file looked like: its size and modification time, compared with resume data to
 * decide whether the file changed while the program was not running.
 *
 * @param size the size in bytes
 * @param modified the modification time, in milliseconds since the epoch for files on disk (other
 *     back ends may use any value that changes when the content does)
 */
public record FileState(long size, long modified) {}
