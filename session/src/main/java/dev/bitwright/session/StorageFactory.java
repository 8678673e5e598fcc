package dev.bitwright.session;

import dev.bitwright.metainfo.Torrent;
import dev.bitwright.storage.Storage;
import java.io.IOException;
import java.nio.file.Path;

/** Opens the storage back end of a torrent; the default is the file system. */
@FunctionalInterface
public interface StorageFactory {
  /** The default: {@code FileSystemStorage} in the download folder. */
  StorageFactory FILE_SYSTEM = dev.bitwright.storage.FileSystemStorage::open;

  /**
   * Opens storage for {@code torrent}, whose files belong in {@code downloadFolder}.
   *
   * @throws IOException if the storage cannot be opened
   */
  Storage open(Path downloadFolder, Torrent torrent) throws IOException;
}
