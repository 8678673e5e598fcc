package dev.bitwright.session;

import dev.bitwright.metainfo.Torrent;
import dev.bitwright.storage.FileSystemStorage;
import dev.bitwright.storage.Storage;
import dev.bitwright.storage.StorageLayout;
import java.io.IOException;

/** Opens the storage back end of a torrent; the default is the file system. */
@FunctionalInterface
public interface StorageFactory {
  /** The default: {@code FileSystemStorage}, its files placed as the layout says. */
  StorageFactory FILE_SYSTEM = FileSystemStorage::open;

  /**
   * Opens storage for {@code torrent}, its files placed as {@code layout} says (a download folder
   * or a content root, files renamed: see {@link AddTorrent.Builder#contentRoot} and {@link
   * AddTorrent.Builder#renameFile}).
   *
   * @param layout where each file of the torrent goes
   * @param torrent the torrent whose files are stored
   * @return the storage; the session closes it when the torrent is removed or the session closes
   * @throws IOException if the storage cannot be opened
   */
  Storage open(StorageLayout layout, Torrent torrent) throws IOException;
}
