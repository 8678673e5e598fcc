/**
 * NAT port mapping: PCP (RFC 6887) with the NAT-PMP (RFC 6886) fallback it describes, so that peers
 * behind a home router can be dialled. The codecs ({@link
 * dev.bitwright.session.internal.portmap.PcpCodec}, {@link
 * dev.bitwright.session.internal.portmap.NatPmpCodec}) and the client state machine ({@link
 * dev.bitwright.session.internal.portmap.PortMapper}) do no I/O and read no clock; {@link
 * dev.bitwright.session.internal.portmap.PortMappingService} runs them on the engine's loop with a
 * UDP socket to the gateway. Kept inside the session rather than as a module of its own: they are
 * only of use to something that listens for peers, and what an application sees of them is the
 * session's settings, status and events. Uses {@code net} only.
 */
package dev.bitwright.session.internal.portmap;
