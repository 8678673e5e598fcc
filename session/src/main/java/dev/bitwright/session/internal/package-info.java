/** The session engine: event loop, transports, peers, picking, choking; not part of the API. */
package dev.bitwright.session.internal;
