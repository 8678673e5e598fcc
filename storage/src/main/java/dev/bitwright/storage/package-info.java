/**
 * Storage of torrent data.
 *
 * <p>{@link dev.bitwright.storage.PieceMap} maps pieces and blocks to file slices. {@link
 * dev.bitwright.storage.Storage} is the small interface a back end implements; {@link
 * dev.bitwright.storage.FileSystemStorage} and {@link dev.bitwright.storage.InMemoryStorage} are
 * the two shipped. {@link dev.bitwright.storage.PieceStore} puts them together for a session:
 * checked block reads and writes, zero-copy uploads, piece verification and skipped files. {@link
 * dev.bitwright.storage.FileCheck} rechecks existing data on several threads; {@link
 * dev.bitwright.storage.ResumeData} records what is verified so that a restart need not recheck.
 *
 * <p><b>Durability.</b> Writes go to the operating system's page cache; {@link
 * dev.bitwright.storage.PieceStore#flush()} forces them to disk. {@link
 * dev.bitwright.storage.PieceStore#saveResumeData} flushes before it records any piece, and writes
 * the record atomically, so after a crash at any moment the resume data never names a piece whose
 * bytes are not on disk. A crash loses at most the pieces verified since the last save.
 *
 * <p>Errors of the disk (full, permission denied, a folder where a file should be, a read-only file
 * system) raise {@link dev.bitwright.storage.StorageException}, which names the file and the
 * operation; one torrent's failure leaves other torrents' storage usable.
 *
 * <p>Null-marked (JSpecify): nothing in this package's API is null unless it is marked
 * {@code @Nullable}.
 */
@NullMarked
package dev.bitwright.storage;

import org.jspecify.annotations.NullMarked;
