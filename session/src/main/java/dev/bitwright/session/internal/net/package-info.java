/**
 * The engine's I/O: the loop and its clock ({@link dev.bitwright.session.internal.net.EngineLoop}),
 * byte-stream connections and their transports ({@link
 * dev.bitwright.session.internal.net.NioTransport}, or a simulated network in tests), UDP sockets
 * and the session's one UDP port. Uses nothing else of the engine; uTP joins here.
 */
package dev.bitwright.session.internal.net;
