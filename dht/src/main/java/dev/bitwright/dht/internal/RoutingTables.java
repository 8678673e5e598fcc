package dev.bitwright.dht.internal;

import dev.bitwright.dht.NodeId;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Our id and the routing table of each enabled address family (BEP 32 keeps them apart). */
public final class RoutingTables {
  private final boolean ipv4;
  private final boolean ipv6;
  private final boolean enforceSecureIds;
  private NodeId ownId;
  private RoutingTable v4;
  private RoutingTable v6;

  /** Creates empty tables for the enabled families. */
  public RoutingTables(
      NodeId ownId, boolean ipv4, boolean ipv6, boolean enforceSecureIds, long nowNanos) {
    this.ipv4 = ipv4;
    this.ipv6 = ipv6;
    this.enforceSecureIds = enforceSecureIds;
    reset(ownId, nowNanos);
  }

  private void reset(NodeId id, long nowNanos) {
    this.ownId = id;
    this.v4 = ipv4 ? new RoutingTable(id, enforceSecureIds, nowNanos) : null;
    this.v6 = ipv6 ? new RoutingTable(id, enforceSecureIds, nowNanos) : null;
  }

  /** Returns our id. */
  public NodeId ownId() {
    return ownId;
  }

  /** Returns the table for {@code address}'s family, if that family is enabled. */
  public Optional<RoutingTable> forAddress(InetSocketAddress address) {
    if (address.isUnresolved()) {
      return Optional.empty();
    }
    return Optional.ofNullable(address.getAddress() instanceof Inet4Address ? v4 : v6);
  }

  /** Returns the IPv4 table, if enabled. */
  public Optional<RoutingTable> v4() {
    return Optional.ofNullable(v4);
  }

  /** Returns the IPv6 table, if enabled. */
  public Optional<RoutingTable> v6() {
    return Optional.ofNullable(v6);
  }

  /** Returns the enabled tables. */
  public List<RoutingTable> all() {
    List<RoutingTable> tables = new ArrayList<>(2);
    v4().ifPresent(tables::add);
    v6().ifPresent(tables::add);
    return tables;
  }

  /** Returns the number of nodes in all tables that are not bad. */
  public int liveNodes(long nowNanos) {
    int live = 0;
    for (RoutingTable t : all()) {
      live += t.liveCount(nowNanos);
    }
    return live;
  }

  /**
   * Takes a new id: the tables are rebuilt around it, keeping their nodes as questionable ones
   * where buckets have room.
   */
  public void changeId(NodeId id, long nowNanos) {
    List<RoutingEntry> old = new ArrayList<>();
    all().forEach(t -> old.addAll(t.entries()));
    reset(id, nowNanos);
    for (RoutingEntry e : old) {
      forAddress(e.address()).ifPresent(t -> t.addRemembered(e.contact(), nowNanos));
    }
  }
}
