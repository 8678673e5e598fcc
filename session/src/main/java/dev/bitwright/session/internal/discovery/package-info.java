/**
 * Where peers come from: tracker announces ({@link
 * dev.bitwright.session.internal.discovery.Announcer} per torrent; {@link
 * dev.bitwright.session.internal.discovery.TrackerClients}, HTTP and UDP, for the session), the DHT
 * service, host name resolution, all owned together by the engine as {@link
 * dev.bitwright.session.internal.discovery.DiscoveryServices}. Local peer discovery joins here.
 * Uses {@code net} only.
 */
package dev.bitwright.session.internal.discovery;
