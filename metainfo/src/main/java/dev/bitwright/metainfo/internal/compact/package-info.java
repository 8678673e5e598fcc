/**
 * The compact address formats shared by the tracker, DHT and peer wire protocols (BEP 5, 7, 11, 23,
 * 32): raw IPv4 and IPv6 addresses, and peers as the address followed by a big-endian port.
 *
 * <p>Not part of the API: exported only to the Bitwright modules that read such addresses from the
 * network, each of which turns a {@link
 * dev.bitwright.metainfo.internal.compact.CompactAddressException} into its own documented
 * exception or treats the field as absent.
 */
package dev.bitwright.metainfo.internal.compact;
