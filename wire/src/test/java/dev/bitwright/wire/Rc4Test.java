package dev.bitwright.wire;

import static dev.bitwright.wire.WireBytes.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * RC4 with the first 1024 keystream bytes dropped, as MSE uses it. Output byte {@code k} is
 * keystream byte {@code 1024 + k}, so RFC 6229's vectors at offsets 1024 and beyond apply.
 */
class Rc4Test {
  private static final byte[] KEY_40 = hex("0102030405");
  private static final byte[] KEY_128 = hex("0102030405060708090a0b0c0d0e0f10");

  private static byte[] keystream(byte[] key, int length) {
    byte[] out = new byte[length];
    new Rc4(key).apply(out, 0, length);
    return out;
  }

  /** RFC 6229 section 2, keystream at offset {@code rfcOffset} (1024 or more), 16 bytes. */
  @ParameterizedTest(name = "40-bit key at offset {0}")
  @CsvSource({
    "1024, 30abbcc7c20b01609f23ee2d5f6bb7df",
    "1520, 3294f744d8f9790507e70f62e5bbceea",
    "1536, d8729db41882259bee4f825325f5a130",
    "2032, 1eb14a0c13b3bf47fa2a0ba93ad45b8b",
    "2048, cc582f8ba9f265e2b1be9112e975d2d7",
    "3056, f2e30f9bd102ecbf75aaade9bc35c43c",
    "3072, ec0e11c479dc329dc8da7968fe965681",
    "4080, 068326a2118416d21f9d04b2cd1ca050",
    "4096, ff25b58995996707e51fbdf08b34d875",
  })
  void rfc6229FortyBitKey(int rfcOffset, String expected) {
    byte[] stream = keystream(KEY_40, rfcOffset - 1024 + 16);
    assertThat(Arrays.copyOfRange(stream, rfcOffset - 1024, rfcOffset - 1024 + 16))
        .isEqualTo(hex(expected));
  }

  @ParameterizedTest(name = "128-bit key at offset {0}")
  @CsvSource({
    "1024, bdf0324e6083dcc6d3cedd3ca8c53c16",
    "1520, b40110c4190b5622a96116b0017ed297",
    "1536, ffa0b514647ec04f6306b892ae661181",
    "2032, d03d1bc03cd33d70dff9fa5d71963ebd",
    "2048, 8a44126411eaa78bd51e8d87a8879bf5",
    "3056, fabeb76028ade2d0e48722e46c4615a3",
    "3072, c05d88abd50357f935a63c59ee537623",
    "4080, ff38265c1642c1abe8d3c2fe5e572bf8",
    "4096, a36a4c301ae8ac13610ccbc12256cacc",
  })
  void rfc6229HundredTwentyEightBitKey(int rfcOffset, String expected) {
    byte[] stream = keystream(KEY_128, rfcOffset - 1024 + 16);
    assertThat(Arrays.copyOfRange(stream, rfcOffset - 1024, rfcOffset - 1024 + 16))
        .isEqualTo(hex(expected));
  }

  /** The JDK's ARCFOUR takes keys of 5 to 128 bytes. */
  @ParameterizedTest
  @ValueSource(ints = {5, 16, 20, 128})
  void matchesTheJdkArcfourAfterDropping1024Bytes(int keyLength) throws Exception {
    byte[] key = new byte[keyLength];
    new Random(keyLength).nextBytes(key);
    Cipher jdk = Cipher.getInstance("ARCFOUR");
    jdk.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ARCFOUR"));
    byte[] expected = jdk.update(new byte[1024 + 5000]);
    assertThat(keystream(key, 5000)).isEqualTo(Arrays.copyOfRange(expected, 1024, 1024 + 5000));
  }

  /** Keys outside the JDK's range, against the textbook algorithm. */
  @ParameterizedTest
  @ValueSource(ints = {1, 2, 4, 129, 255, 256})
  void matchesTheTextbookAlgorithmForShortAndLongKeys(int keyLength) {
    byte[] key = new byte[keyLength];
    new Random(keyLength).nextBytes(key);
    assertThat(keystream(key, 3000)).isEqualTo(Arrays.copyOfRange(textbook(key, 4024), 1024, 4024));
  }

  private static byte[] textbook(byte[] key, int length) {
    int[] s = new int[256];
    for (int i = 0; i < 256; i++) {
      s[i] = i;
    }
    for (int i = 0, j = 0; i < 256; i++) {
      j = (j + s[i] + (key[i % key.length] & 0xff)) % 256;
      int t = s[i];
      s[i] = s[j];
      s[j] = t;
    }
    byte[] out = new byte[length];
    for (int n = 0, i = 0, j = 0; n < length; n++) {
      i = (i + 1) % 256;
      j = (j + s[i]) % 256;
      int t = s[i];
      s[i] = s[j];
      s[j] = t;
      out[n] = (byte) s[(s[i] + s[j]) % 256];
    }
    return out;
  }

  @Test
  void applyingTwiceWithTheSameKeyRestoresThePlaintext() {
    byte[] key = hex("00112233445566778899aabbccddeeff00112233");
    byte[] plain = new byte[3000];
    new Random(1).nextBytes(plain);
    byte[] data = plain.clone();
    new Rc4(key).apply(data, 0, data.length);
    assertThat(data).isNotEqualTo(plain);
    new Rc4(key).apply(data, 0, data.length);
    assertThat(data).isEqualTo(plain);
  }

  @Test
  void theStreamContinuesAcrossCallsAndOffsets() {
    byte[] whole = keystream(KEY_40, 100);
    Rc4 rc4 = new Rc4(KEY_40);
    byte[] parts = new byte[110];
    rc4.apply(parts, 5, 1);
    rc4.apply(parts, 6, 0);
    rc4.apply(parts, 6, 60);
    rc4.apply(parts, 66, 39);
    assertThat(Arrays.copyOfRange(parts, 5, 105)).isEqualTo(whole);
    assertThat(Arrays.copyOfRange(parts, 0, 5)).containsOnly(0);
    assertThat(Arrays.copyOfRange(parts, 105, 110)).containsOnly(0);
  }

  @Test
  void byteArraysAndHeapDirectAndSlicedBuffersGiveTheSameOutput() {
    byte[] plain = new byte[40_000];
    new Random(3).nextBytes(plain);
    byte[] expected = plain.clone();
    new Rc4(KEY_128).apply(expected, 0, expected.length);

    ByteBuffer heap = ByteBuffer.wrap(plain.clone());
    new Rc4(KEY_128).apply(heap);
    assertThat(heap.position()).isEqualTo(heap.limit());
    assertThat(heap.array()).isEqualTo(expected);

    ByteBuffer direct = ByteBuffer.allocateDirect(plain.length).put(plain).flip();
    new Rc4(KEY_128).apply(direct);
    assertThat(direct.hasRemaining()).isFalse();
    assertThat(WireBytes.bytes(direct.flip())).isEqualTo(expected);

    byte[] backing = new byte[plain.length + 20];
    System.arraycopy(plain, 0, backing, 10, plain.length);
    ByteBuffer sliced = ByteBuffer.wrap(backing, 10, plain.length).slice();
    assertThat(sliced.arrayOffset()).isEqualTo(10);
    new Rc4(KEY_128).apply(sliced);
    assertThat(Arrays.copyOfRange(backing, 10, 10 + plain.length)).isEqualTo(expected);
    assertThat(Arrays.copyOfRange(backing, 0, 10)).containsOnly(0);
    assertThat(Arrays.copyOfRange(backing, 10 + plain.length, backing.length)).containsOnly(0);
  }

  @Test
  void buffersAreProcessedFromPositionToLimitOnly() {
    byte[] expected = keystream(KEY_40, 10);
    for (boolean direct : new boolean[] {false, true}) {
      ByteBuffer b = direct ? ByteBuffer.allocateDirect(20) : ByteBuffer.allocate(20);
      b.position(4).limit(14);
      new Rc4(KEY_40).apply(b);
      assertThat(b.position()).isEqualTo(14);
      b.clear();
      byte[] all = WireBytes.bytes(b);
      assertThat(Arrays.copyOfRange(all, 4, 14)).isEqualTo(expected);
      assertThat(Arrays.copyOfRange(all, 0, 4)).containsOnly(0);
      assertThat(Arrays.copyOfRange(all, 14, 20)).containsOnly(0);
    }
  }

  @Test
  void mixingArraysAndBuffersContinuesOneStream() {
    byte[] whole = keystream(KEY_40, 50_000);
    Rc4 rc4 = new Rc4(KEY_40);
    byte[] a = new byte[7];
    rc4.apply(a, 0, 7);
    ByteBuffer d = ByteBuffer.allocateDirect(40_000);
    rc4.apply(d);
    ByteBuffer h = ByteBuffer.allocate(9_993);
    rc4.apply(h);
    byte[] got = WireBytes.concat(a, WireBytes.bytes(d.flip()), h.array());
    assertThat(got).isEqualTo(whole);
    rc4.apply(ByteBuffer.allocateDirect(0));
  }

  @Test
  void keysOfNoneOrMoreThan256BytesAreRefused() {
    assertThatThrownBy(() -> new Rc4(new byte[0])).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Rc4(new byte[257])).isInstanceOf(IllegalArgumentException.class);
  }
}
