package dev.bitwright.session;

import dev.bitwright.metainfo.Torrent;
import dev.bitwright.storage.FileSystemStorage;
import dev.bitwright.storage.Storage;
import java.io.IOException;
import java.nio.file.Path;

/** Opens the storage back end of a torrent; the default is the file system. */
@FunctionalInterface
public interface StorageFactory {
  /**
   * The default: {@code FileSystemStorage} in the download folder, or with the files directly in a
   * content root.
   */
  StorageFactory FILE_SYSTEM =
      new StorageFactory() {
        @Override
        public Storage open(Path downloadFolder, Torrent torrent) throws IOException {
          return FileSystemStorage.open(downloadFolder, torrent);
        }

        @Override
        public Storage openContentRoot(Path contentRoot, Torrent torrent) throws IOException {
          return FileSystemStorage.builder(contentRoot, torrent).contentRoot(true).build();
        }
      };

  /**
   * Opens storage for {@code torrent}, whose files belong in {@code downloadFolder} (a multi-file
   * torrent's in a folder of its name there).
   *
   * @throws IOException if the storage cannot be opened
   */
  Storage open(Path downloadFolder, Torrent torrent) throws IOException;

  /**
   * Opens storage for {@code torrent}, whose files lie directly in {@code contentRoot} ({@link
   * AddTorrent.Builder#contentRoot}). The default refuses: a factory that does not know of content
   * roots would place the files elsewhere.
   *
   * @throws IOException if the storage cannot be opened
   * @throws UnsupportedOperationException if this factory places files only by download folder
   */
  default Storage openContentRoot(Path contentRoot, Torrent torrent) throws IOException {
    throw new UnsupportedOperationException("this storage factory does not support a content root");
  }
}
