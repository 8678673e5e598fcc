package dev.bitwright.wire;

/**
 * An {@code upload_only} extension message (BEP 21, in the form libtorrent sends): the sender
 * stopped downloading (it finished what it wants, or only seeds) or downloads again. The payload is
 * one byte, non-zero for upload only.
 *
 * @param uploadOnly whether the sender only uploads now
 */
public record UploadOnly(boolean uploadOnly) {
  /** {@return the extended-message payload} */
  public byte[] encode() {
    return new byte[] {(byte) (uploadOnly ? 1 : 0)};
  }

  /**
   * Reads an extended-message payload.
   *
   * @param payload the extended message's payload
   * @return the message: upload only for a non-zero byte
   * @throws WireException if the payload is not exactly one byte
   */
  public static UploadOnly decode(byte[] payload) throws WireException {
    if (payload.length != 1) {
      throw new WireException("upload_only payload of " + payload.length + " bytes", 0);
    }
    return new UploadOnly(payload[0] != 0);
  }
}
