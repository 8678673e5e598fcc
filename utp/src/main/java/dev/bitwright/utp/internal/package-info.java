/**
 * The parts of a uTP connection: the packet header codec, 16-bit sequence arithmetic, the send and
 * receive buffers, and LEDBAT congestion control with the RTT estimator. Not exported.
 */
package dev.bitwright.utp.internal;
