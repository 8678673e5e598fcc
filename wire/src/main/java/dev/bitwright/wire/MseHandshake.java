package dev.bitwright.wire;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;
import static com.google.common.base.Preconditions.checkState;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * The Message Stream Encryption (MSE/PE) handshake as a byte-stream state machine, for either side,
 * without sockets: feed it what the peer sent with {@link #receive(ByteBuffer)}, send what {@link
 * #takeOutput()} returns, until {@link #isDone()}. Then the connection continues with the selected
 * method: {@link #encryptor()} and {@link #decryptor()} for RC4, or plaintext.
 *
 * <p>{@link #receive(ByteBuffer)} consumes exactly the handshake's bytes and leaves whatever
 * follows (the peer's payload stream) in the buffer. The synchronisation limits are enforced: the
 * receiver finds {@code HASH('req1', S)} within 628 bytes, the initiator finds the encrypted
 * verification constant within 616 bytes of the start of the peer's key, and pads are at most 512
 * bytes. Anything else raises {@link WireException}.
 *
 * <p>Among the package's state machines this one is driven by bytes, not datagrams or time: {@link
 * #receive(ByteBuffer)} is its input, {@link #takeOutput()} hands out every pending byte at once (a
 * stream has no units to poll one by one), and it sets no deadline: the host times out a handshake
 * that stalls.
 *
 * <p>Not thread-safe: one instance per connection.
 */
public final class MseHandshake {
  /** Bit of {@code crypto_provide}/{@code crypto_select} for plaintext after the handshake. */
  public static final int PLAINTEXT = 0x01;

  /** Bit of {@code crypto_provide}/{@code crypto_select} for RC4 after the handshake. */
  public static final int RC4 = 0x02;

  private static final BigInteger P =
      new BigInteger(
          "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A0879"
              + "8E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A6"
              + "3A36210000000000090563",
          16);
  private static final BigInteger G = BigInteger.TWO;
  private static final int KEY_LENGTH = 96;
  private static final int MAX_PAD = 512;
  private static final byte[] VC = new byte[8];

  private enum State {
    READ_PEER_KEY,
    FIND_REQ1,
    READ_SKEY,
    READ_PROVIDE,
    READ_PAD_C,
    READ_IA_LENGTH,
    READ_IA,
    FIND_VC,
    READ_SELECT,
    READ_PAD_D,
    DONE
  }

  private final boolean initiator;
  private final EncryptionPolicy policy;
  private final RandomGenerator random;
  private final BigInteger privateKey;
  private final byte[] skeyForInitiator;
  private final byte[] initialPayload;
  private final Function<byte[], Optional<byte[]>> skeyByReq2;
  private final ByteArrayOutputStream output = new ByteArrayOutputStream();

  private State state = State.READ_PEER_KEY;
  private byte[] pending = new byte[KEY_LENGTH];
  private int pendingLength;
  private int scanned;

  // Set by the step of the handshake that first needs them; read only in later steps.
  @SuppressWarnings("NullAway.Init")
  private byte[] secret;

  @SuppressWarnings("NullAway.Init")
  private byte[] skey;

  @SuppressWarnings("NullAway.Init")
  private byte[] scanPattern;

  @SuppressWarnings("NullAway.Init")
  private Rc4 encryptor;

  @SuppressWarnings("NullAway.Init")
  private Rc4 decryptor;

  private int provided;
  private int selected;
  private byte[] receivedPayload = new byte[0];

  private MseHandshake(
      boolean initiator,
      EncryptionPolicy policy,
      RandomGenerator random,
      byte[] skey,
      byte[] initialPayload,
      Function<byte[], Optional<byte[]>> skeyByReq2) {
    checkArgument(policy != EncryptionPolicy.DISABLED, "MSE is disabled by the policy");
    this.initiator = initiator;
    this.policy = policy;
    this.random = checkNotNull(random);
    this.skeyForInitiator = skey;
    this.initialPayload = initialPayload;
    this.skeyByReq2 = skeyByReq2;
    byte[] x = new byte[20];
    random.nextBytes(x);
    this.privateKey = new BigInteger(1, x);
    output.writeBytes(toKeyBytes(G.modPow(privateKey, P)));
    output.writeBytes(randomPad());
  }

  /**
   * Starts the handshake of the side that opened the connection (A).
   *
   * @param skey the torrent's 20-byte info-hash (for a v2-only torrent, the truncated v2 hash)
   * @param initialPayload bytes sent encrypted with the handshake, normally the 68-byte BitTorrent
   *     handshake (at most 65535)
   * @param policy {@link EncryptionPolicy#ENABLED} to offer plaintext beside RC4, {@link
   *     EncryptionPolicy#FORCED} to offer RC4 alone; not {@code DISABLED}
   * @param random the source of the private key and pads (a {@code SecureRandom} in production)
   * @return the handshake, whose first bytes are ready to send
   */
  public static MseHandshake initiator(
      byte[] skey, byte[] initialPayload, EncryptionPolicy policy, RandomGenerator random) {
    checkArgument(skey.length == 20, "the MSE key is a 20-byte info-hash");
    checkArgument(initialPayload.length <= 0xffff, "initial payload too long");
    return new MseHandshake(
        true, policy, random, skey.clone(), initialPayload.clone(), unused -> Optional.empty());
  }

  /**
   * Starts the handshake of the side that accepted the connection (B), which learns the torrent
   * from the handshake.
   *
   * @param skeyByReq2 finds the info-hash whose {@link #req2Hash(byte[])} is given, among the
   *     torrents this side serves; empty for an unknown torrent
   * @param policy which of the initiator's offers to accept: RC4 is preferred, plaintext is refused
   *     when {@link EncryptionPolicy#FORCED}; not {@code DISABLED}
   * @param random the source of the private key and pads (a {@code SecureRandom} in production)
   * @return the handshake, waiting for the initiator's first bytes
   */
  public static MseHandshake receiver(
      Function<byte[], Optional<byte[]>> skeyByReq2,
      EncryptionPolicy policy,
      RandomGenerator random) {
    // The receiver learns the key from the handshake and sends no initial payload.
    return new MseHandshake(
        false, policy, random, new byte[0], new byte[0], checkNotNull(skeyByReq2));
  }

  /**
   * {@return {@code HASH('req2', skey)}, for a receiver's lookup table of its torrents}
   *
   * @param skey a torrent's 20-byte info-hash (for a v2-only torrent, the truncated v2 hash)
   */
  public static byte[] req2Hash(byte[] skey) {
    return sha1("req2", skey);
  }

  /** {@return and clears the bytes to send to the peer} */
  public byte[] takeOutput() {
    byte[] bytes = output.toByteArray();
    output.reset();
    return bytes;
  }

  /** {@return whether the handshake is complete} */
  public boolean isDone() {
    return state == State.DONE;
  }

  /** {@return the selected method, {@link #RC4} or {@link #PLAINTEXT}, once done} */
  public int selected() {
    checkState(isDone(), "handshake not done");
    return selected;
  }

  /** {@return the torrent's info-hash (found by the receiver), once done} */
  public byte[] skey() {
    checkState(isDone(), "handshake not done");
    return skey.clone();
  }

  /** {@return the peer's initial payload (receiver side; empty for the initiator), once done} */
  public byte[] receivedPayload() {
    checkState(isDone(), "handshake not done");
    return receivedPayload.clone();
  }

  /** {@return the cipher for bytes we send from now on, if RC4 was selected} */
  public Optional<Rc4> encryptor() {
    checkState(isDone(), "handshake not done");
    return selected == RC4 ? Optional.of(encryptor) : Optional.empty();
  }

  /** {@return the cipher for bytes we receive from now on, if RC4 was selected} */
  public Optional<Rc4> decryptor() {
    checkState(isDone(), "handshake not done");
    return selected == RC4 ? Optional.of(decryptor) : Optional.empty();
  }

  /**
   * Consumes handshake bytes from {@code in}, leaving anything after the handshake there.
   *
   * @param in the received bytes, in read mode; the position moves past the bytes consumed
   * @throws WireException if the peer breaks the handshake
   */
  public void receive(ByteBuffer in) throws WireException {
    while (state != State.DONE && in.hasRemaining()) {
      if (state == State.FIND_REQ1 || state == State.FIND_VC) {
        scan(in);
      } else if (fill(in)) {
        step();
      }
    }
  }

  /** Reads into {@code pending} until it is full; returns whether it is. */
  private boolean fill(ByteBuffer in) {
    int n = Math.min(in.remaining(), pending.length - pendingLength);
    in.get(pending, pendingLength, n);
    pendingLength += n;
    return pendingLength == pending.length;
  }

  private void expect(int length) {
    pending = new byte[length];
    pendingLength = 0;
  }

  /** Looks for {@code scanPattern} byte by byte, so that nothing after it is consumed. */
  private void scan(ByteBuffer in) throws WireException {
    int window = scanPattern.length + MAX_PAD;
    while (in.hasRemaining()) {
      byte b = in.get();
      System.arraycopy(pending, 1, pending, 0, pending.length - 1);
      pending[pending.length - 1] = b;
      scanned++;
      if (scanned >= scanPattern.length && Arrays.equals(pending, scanPattern)) {
        found();
        return;
      }
      if (scanned >= window) {
        throw new WireException(
            state == State.FIND_REQ1
                ? "MSE: HASH('req1', S) not found within 628 bytes"
                : "MSE: verification constant not found within 616 bytes",
            -1);
      }
    }
  }

  private void found() {
    if (state == State.FIND_REQ1) {
      state = State.READ_SKEY;
      expect(20);
    } else {
      decryptor.apply(VC.clone(), 0, VC.length);
      state = State.READ_SELECT;
      expect(6);
    }
  }

  private void step() throws WireException {
    switch (state) {
      case READ_PEER_KEY -> peerKey();
      case READ_SKEY -> skeyHash();
      case READ_PROVIDE -> provide();
      case READ_PAD_C -> {
        decryptor.apply(pending, 0, pending.length);
        state = State.READ_IA_LENGTH;
        expect(2);
      }
      case READ_IA_LENGTH -> {
        decryptor.apply(pending, 0, 2);
        int length = (pending[0] & 0xff) << 8 | (pending[1] & 0xff);
        if (length == 0) {
          answerProvide();
        } else {
          state = State.READ_IA;
          expect(length);
        }
      }
      case READ_IA -> {
        decryptor.apply(pending, 0, pending.length);
        receivedPayload = pending.clone();
        answerProvide();
      }
      case READ_SELECT -> select();
      case READ_PAD_D -> {
        decryptor.apply(pending, 0, pending.length);
        state = State.DONE;
      }
      default -> throw new IllegalStateException(state.name());
    }
  }

  private void peerKey() throws WireException {
    BigInteger peer = new BigInteger(1, pending);
    if (peer.compareTo(BigInteger.ONE) <= 0 || peer.compareTo(P.subtract(BigInteger.ONE)) >= 0) {
      throw new WireException("MSE: invalid Diffie-Hellman public key", -1);
    }
    secret = toKeyBytes(peer.modPow(privateKey, P));
    if (initiator) {
      skey = skeyForInitiator;
      startCiphers();
      sendInitiatorRequest();
      byte[] encryptedVc = VC.clone();
      new Rc4(sha1("keyB", secret, skey)).apply(encryptedVc, 0, encryptedVc.length);
      scanPattern = encryptedVc;
      state = State.FIND_VC;
    } else {
      scanPattern = sha1("req1", secret);
      state = State.FIND_REQ1;
    }
    pending = new byte[scanPattern.length];
    pendingLength = 0;
    scanned = 0;
  }

  private void startCiphers() {
    byte[] keyA = sha1("keyA", secret, skey);
    byte[] keyB = sha1("keyB", secret, skey);
    encryptor = new Rc4(initiator ? keyA : keyB);
    decryptor = new Rc4(initiator ? keyB : keyA);
  }

  private void sendInitiatorRequest() {
    output.writeBytes(sha1("req1", secret));
    output.writeBytes(xor(sha1("req2", skey), sha1("req3", secret)));
    provided = policy == EncryptionPolicy.FORCED ? RC4 : RC4 | PLAINTEXT;
    ByteBuffer header = ByteBuffer.allocate(8 + 4 + 2 + 2 + initialPayload.length);
    header.put(VC).putInt(provided).putShort((short) 0).putShort((short) initialPayload.length);
    header.put(initialPayload);
    byte[] encrypted = header.array();
    encryptor.apply(encrypted, 0, encrypted.length);
    output.writeBytes(encrypted);
  }

  private void skeyHash() throws WireException {
    byte[] req2 = xor(pending, sha1("req3", secret));
    Optional<byte[]> found = skeyByReq2.apply(req2);
    if (found.isEmpty() || found.get().length != 20) {
      throw new WireException("MSE: the peer asks for a torrent we do not serve", -1);
    }
    skey = found.get().clone();
    startCiphers();
    state = State.READ_PROVIDE;
    expect(8 + 4 + 2);
  }

  private void provide() throws WireException {
    decryptor.apply(pending, 0, pending.length);
    ByteBuffer b = ByteBuffer.wrap(pending);
    for (int i = 0; i < 8; i++) {
      if (b.get() != 0) {
        throw new WireException("MSE: wrong verification constant", -1);
      }
    }
    provided = b.getInt();
    int padLength = b.getShort() & 0xffff;
    if (padLength > MAX_PAD) {
      throw new WireException("MSE: PadC longer than 512 bytes", -1);
    }
    if (padLength == 0) {
      state = State.READ_IA_LENGTH;
      expect(2);
    } else {
      state = State.READ_PAD_C;
      expect(padLength);
    }
  }

  /** The receiver's step 4: the verification constant, its choice and an empty PadD. */
  private void answerProvide() throws WireException {
    if ((provided & RC4) != 0) {
      selected = RC4;
    } else if ((provided & PLAINTEXT) != 0 && policy != EncryptionPolicy.FORCED) {
      selected = PLAINTEXT;
    } else {
      throw new WireException("MSE: no acceptable encryption method offered", -1);
    }
    byte[] answer = ByteBuffer.allocate(14).put(VC).putInt(selected).putShort((short) 0).array();
    encryptor.apply(answer, 0, answer.length);
    output.writeBytes(answer);
    state = State.DONE;
  }

  private void select() throws WireException {
    decryptor.apply(pending, 0, pending.length);
    ByteBuffer b = ByteBuffer.wrap(pending);
    selected = b.getInt();
    int padLength = b.getShort() & 0xffff;
    if (Integer.bitCount(selected) != 1 || (selected & provided) == 0) {
      throw new WireException("MSE: the peer selected a method we did not offer", -1);
    }
    if (padLength > MAX_PAD) {
      throw new WireException("MSE: PadD longer than 512 bytes", -1);
    }
    if (padLength == 0) {
      state = State.DONE;
    } else {
      state = State.READ_PAD_D;
      expect(padLength);
    }
  }

  private byte[] randomPad() {
    byte[] pad = new byte[random.nextInt(MAX_PAD + 1)];
    random.nextBytes(pad);
    return pad;
  }

  private static byte[] toKeyBytes(BigInteger value) {
    byte[] raw = value.toByteArray();
    byte[] out = new byte[KEY_LENGTH];
    int n = Math.min(raw.length, KEY_LENGTH);
    System.arraycopy(raw, raw.length - n, out, KEY_LENGTH - n, n);
    return out;
  }

  private static byte[] xor(byte[] a, byte[] b) {
    byte[] out = new byte[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = (byte) (a[i] ^ b[i]);
    }
    return out;
  }

  private static byte[] sha1(String label, byte[]... parts) {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      sha1.update(label.getBytes(StandardCharsets.US_ASCII));
      for (byte[] part : parts) {
        sha1.update(part);
      }
      return sha1.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is required of every Java platform", e);
    }
  }
}
