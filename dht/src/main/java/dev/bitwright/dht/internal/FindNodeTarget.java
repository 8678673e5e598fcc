package dev.bitwright.dht.internal;

import dev.bitwright.bencode.BencodeDictionary;
import dev.bitwright.dht.DhtContact;
import dev.bitwright.dht.LookupStats;
import dev.bitwright.dht.NodeId;
import dev.bitwright.dht.NodesListener;
import java.util.List;

/** A {@code find_node} lookup: reports the closest nodes that answered. */
public final class FindNodeTarget implements LookupTarget {
  private final NodeId target;
  private final NodesListener listener;

  /** Creates the lookup kind for {@code target}, reporting to {@code listener}. */
  public FindNodeTarget(NodeId target, NodesListener listener) {
    this.target = target;
    this.listener = listener;
  }

  @Override
  public String method() {
    return "find_node";
  }

  @Override
  public BencodeDictionary.Builder arguments(NodeId target) {
    return BencodeDictionary.builder().put("target", target.toBytes());
  }

  @Override
  public void done(List<Lookup.Answer> answered, LookupStats stats) {
    List<DhtContact> closest = answered.stream().limit(Lookup.K).map(Lookup.Answer::node).toList();
    listener.lookupDone(target, closest, stats);
  }
}
