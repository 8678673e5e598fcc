/**
 * The session's JDK Flight Recorder events ({@code jdk.jfr}), named {@code dev.bitwright.*} in the
 * category "Bitwright". The other rooms record them where things happen; this room depends on none
 * of them. Each event checks {@code shouldCommit()} before it formats a field, so that an event
 * nobody records costs one allocation the JIT removes and no formatting. JFR times events with its
 * own clock (real time), not with the session's injected clock; the few fields measured with the
 * session clock say so.
 */
package dev.bitwright.session.internal.jfr;
