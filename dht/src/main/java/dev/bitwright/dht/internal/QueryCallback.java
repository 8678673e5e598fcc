package dev.bitwright.dht.internal;

import java.net.InetSocketAddress;

/** What happens to one of our queries: called once, with a valid response or a failure. */
public interface QueryCallback {
  /** The query was answered by {@code from} with a response that matched it. */
  void responded(KrpcResponse response, InetSocketAddress from, long nowNanos);

  /** The query timed out after its retries, or was answered with an error. */
  void failed(long nowNanos);
}
