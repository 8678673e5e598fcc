package dev.bitwright.dht.internal;

import dev.bitwright.bencode.BencodeDictionary;
import dev.bitwright.dht.DhtContact;
import dev.bitwright.dht.DhtException;
import dev.bitwright.dht.LookupStats;
import dev.bitwright.dht.NodeId;
import dev.bitwright.dht.SampleListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A BEP 51 {@code sample_infohashes} traversal towards a target: every node asked returns a sample
 * of the info-hashes it stores, and nodes closer to the target to continue with.
 */
public final class SampleTarget implements LookupTarget {
  /** The longest interval a node may ask for (BEP 51: six hours). */
  public static final long MAX_INTERVAL_SECONDS = 21_600;

  private final SampleListener listener;

  /** Creates the traversal kind, reporting to {@code listener}. */
  public SampleTarget(SampleListener listener) {
    this.listener = listener;
  }

  @Override
  public String method() {
    return "sample_infohashes";
  }

  @Override
  public BencodeDictionary.Builder arguments(NodeId target) {
    return BencodeDictionary.builder().put("target", target.toBytes());
  }

  @Override
  public void answered(DhtContact node, KrpcResponse response) {
    try {
      KrpcFields r = response.values();
      byte[] samples = r.bytes("samples");
      if (samples.length % NodeId.LENGTH != 0) {
        return;
      }
      List<NodeId> hashes = new ArrayList<>(samples.length / NodeId.LENGTH);
      for (int at = 0; at < samples.length; at += NodeId.LENGTH) {
        hashes.add(NodeId.of(Arrays.copyOfRange(samples, at, at + NodeId.LENGTH)));
      }
      long num = Math.max(r.optionalInteger("num").orElse(hashes.size()), 0);
      long interval =
          Math.min(Math.max(r.optionalInteger("interval").orElse(0), 0), MAX_INTERVAL_SECONDS);
      listener.samplesReceived(node, List.copyOf(hashes), num, Duration.ofSeconds(interval));
    } catch (DhtException e) {
      // A node without BEP 51 support answers without samples: it only routes the traversal.
    }
  }

  @Override
  public void done(List<Lookup.Answer> answered, LookupStats stats) {
    listener.lookupDone(stats);
  }
}
