/**
 * Where peers come from: tracker announces ({@link
 * dev.bitwright.session.internal.discovery.Announcer}, UDP trackers), the DHT service, host name
 * resolution. Local peer discovery joins here. Uses {@code net} only.
 */
package dev.bitwright.session.internal.discovery;
