package dev.bitwright.tracker;

/** The {@code event} of an announce. */
public enum AnnounceEvent {
  /** A regular announce. */
  NONE("", 0),
  /** The first announce of a download. */
  STARTED("started", 2),
  /** The download just completed. */
  COMPLETED("completed", 1),
  /** The client stops the torrent. */
  STOPPED("stopped", 3);

  private final String httpName;
  private final int udpCode;

  AnnounceEvent(String httpName, int udpCode) {
    this.httpName = httpName;
    this.udpCode = udpCode;
  }

  /** {@return the value of the HTTP {@code event} parameter, empty for {@link #NONE}} */
  public String httpName() {
    return httpName;
  }

  /** {@return the code of the UDP announce's {@code event} field (BEP 15)} */
  public int udpCode() {
    return udpCode;
  }
}
