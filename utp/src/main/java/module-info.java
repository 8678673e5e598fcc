/**
 * uTP, the Micro Transport Protocol of BEP 29: reliable, ordered byte streams over UDP with LEDBAT
 * congestion control, which yields to other traffic on the line. Sans I/O: datagrams and the time
 * go in, datagrams and the next deadline come out. Start with {@link
 * dev.bitwright.utp.UtpEndpoint}.
 */
module dev.bitwright.utp {
  requires static transitive org.jspecify;
  requires com.google.common;

  exports dev.bitwright.utp;
}
