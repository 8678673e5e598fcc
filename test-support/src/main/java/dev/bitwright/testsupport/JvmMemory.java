package dev.bitwright.testsupport;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;

/** Figures of this JVM's memory, for tests that bound what the code under test uses. */
public final class JvmMemory {
  private JvmMemory() {}

  /** Returns the bytes of direct buffers allocated and not yet freed. */
  public static long directBytes() {
    return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
        .filter(b -> b.getName().equals("direct"))
        .mapToLong(BufferPoolMXBean::getMemoryUsed)
        .sum();
  }
}
