package dev.bitwright.storage.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A bounded pool of open files, least recently used first out. A channel in use is never closed
 * under its user: leases are counted, and a channel evicted while leased is closed when its last
 * lease ends. While every channel is leased the pool may exceed its bound by the number of leases.
 */
public final class FileHandlePool {
  /** Opens the channel of a file; {@code writable} asks for write access too. */
  @FunctionalInterface
  public interface Opener {
    /** Opens file {@code file}. */
    FileChannel open(int file, boolean writable) throws IOException;
  }

  /** Called with a channel just before the pool closes it (to force pending writes). */
  @FunctionalInterface
  public interface BeforeClose {
    /** Prepares {@code channel} of {@code file} for closing. */
    void accept(int file, FileChannel channel) throws IOException;
  }

  private final int maxOpen;
  private final Opener opener;
  private final BeforeClose beforeClose;
  private final LinkedHashMap<Integer, Handle> open = new LinkedHashMap<>(16, 0.75f, true);

  /** Creates a pool of at most {@code maxOpen} idle channels. */
  public FileHandlePool(int maxOpen, Opener opener, BeforeClose beforeClose) {
    this.maxOpen = maxOpen;
    this.opener = opener;
    this.beforeClose = beforeClose;
  }

  /** An open channel, leased until {@link #close()}. */
  public final class Lease implements AutoCloseable {
    private final Handle handle;

    private Lease(Handle handle) {
      this.handle = handle;
    }

    /** Returns the channel. */
    public FileChannel channel() {
      return handle.channel;
    }

    @Override
    public void close() throws IOException {
      release(handle);
    }
  }

  private static final class Handle {
    final int file;
    final FileChannel channel;
    final boolean writable;
    int leases;
    boolean evicted;

    Handle(int file, FileChannel channel, boolean writable) {
      this.file = file;
      this.channel = channel;
      this.writable = writable;
    }
  }

  /**
   * Leases the channel of {@code file}, opening it (for writing if asked) when needed. Channels
   * evicted on the way are closed even if opening fails; if closing an evicted channel fails, the
   * new lease is released before the failure is thrown, so nothing leaks.
   */
  public Lease acquire(int file, boolean writable) throws IOException {
    List<Handle> toClose = new ArrayList<>();
    Lease lease = null;
    try {
      synchronized (this) {
        Handle handle = open.get(file);
        if (handle != null && writable && !handle.writable) {
          open.remove(file);
          handle.evicted = true;
          if (handle.leases == 0) {
            toClose.add(handle);
          }
          handle = null;
        }
        if (handle == null) {
          handle = new Handle(file, opener.open(file, writable), writable);
          open.put(file, handle);
        }
        handle.leases++;
        lease = new Lease(handle);
        evictIdle(toClose);
      }
    } catch (IOException | RuntimeException e) {
      try {
        closeHandles(toClose);
      } catch (IOException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
    try {
      closeHandles(toClose);
    } catch (IOException e) {
      lease.close();
      throw e;
    }
    return lease;
  }

  private void release(Handle handle) throws IOException {
    boolean close;
    synchronized (this) {
      handle.leases--;
      close = handle.evicted && handle.leases == 0;
    }
    if (close) {
      closeHandles(List.of(handle));
    }
  }

  /** Must hold the lock. */
  private void evictIdle(List<Handle> toClose) {
    Iterator<Map.Entry<Integer, Handle>> it = open.entrySet().iterator();
    while (open.size() > maxOpen && it.hasNext()) {
      Handle h = it.next().getValue();
      if (h.leases == 0) {
        it.remove();
        h.evicted = true;
        toClose.add(h);
      }
    }
  }

  /** Calls {@code action} on every open channel (for flushing). */
  public void forEachOpen(BeforeClose action) throws IOException {
    List<Handle> handles;
    synchronized (this) {
      handles = new ArrayList<>(open.values());
      handles.forEach(h -> h.leases++);
    }
    try {
      for (Handle h : handles) {
        action.accept(h.file, h.channel);
      }
    } finally {
      for (Handle h : handles) {
        release(h);
      }
    }
  }

  /** Closes every idle channel now and the leased ones when released. */
  public void closeAll() throws IOException {
    List<Handle> toClose = new ArrayList<>();
    synchronized (this) {
      for (Handle h : open.values()) {
        h.evicted = true;
        if (h.leases == 0) {
          toClose.add(h);
        }
      }
      open.clear();
    }
    closeHandles(toClose);
  }

  /** Returns the number of open channels. */
  public synchronized int openCount() {
    return open.size();
  }

  private void closeHandles(List<Handle> handles) throws IOException {
    IOException first = null;
    for (Handle h : handles) {
      try {
        try {
          beforeClose.accept(h.file, h.channel);
        } finally {
          h.channel.close();
        }
      } catch (IOException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
