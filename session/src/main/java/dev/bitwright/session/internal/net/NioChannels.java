package dev.bitwright.session.internal.net;

import java.io.IOException;
import java.nio.channels.SelectableChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closing the {@link NioTransport}'s channels, whose close can fail only in ways of no interest.
 */
final class NioChannels {
  // The transport's logger: these are its channels.
  private static final Logger log = LoggerFactory.getLogger(NioTransport.class);

  private NioChannels() {}

  /** Closes {@code channel}, logging a failure. */
  static void close(SelectableChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      log.debug("closing a channel", e);
    }
  }
}
