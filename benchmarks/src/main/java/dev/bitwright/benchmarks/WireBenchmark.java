package dev.bitwright.benchmarks;

import dev.bitwright.wire.MessageDecoder;
import dev.bitwright.wire.MessageEncoder;
import dev.bitwright.wire.PeerMessage;
import dev.bitwright.wire.Rc4;
import dev.bitwright.wire.WireLimits;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The wire hot paths: decoding a stream of 16 KiB piece messages (as a download reads them; each
 * piece's data is a view, consumed here by summing a few bytes as a storage write would touch
 * them), encoding request messages, and RC4 over 16 KiB buffers (ours against the JDK's ARCFOUR).
 * Throughput in bytes: multiply ops/s by {@link #STREAM_BYTES} (decode) or 16,384 (RC4).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class WireBenchmark {
  /** Piece messages in the decoded stream. */
  public static final int MESSAGES = 256;

  /** Bytes in the decoded stream: 256 piece messages of 16 KiB plus headers. */
  public static final int STREAM_BYTES = MESSAGES * (13 + 16 * 1024);

  private static final int BLOCK = 16 * 1024;

  private ByteBuffer stream;
  private MessageDecoder decoder;
  private ByteBuffer requests;
  private byte[] block;
  private Rc4 rc4;
  private Cipher arcfour;
  private byte[] cipherOut;
  private ByteBuffer destination;

  /** Prepares the stream, the buffers and the ciphers. */
  @Setup
  public void setUp() throws Exception {
    Random random = new Random(5);
    block = new byte[BLOCK];
    random.nextBytes(block);
    stream = ByteBuffer.allocateDirect(STREAM_BYTES);
    for (int i = 0; i < MESSAGES; i++) {
      MessageEncoder.encodePieceHeader(i, 0, BLOCK, stream);
      stream.put(block);
    }
    stream.flip();
    decoder = new MessageDecoder(WireLimits.forTorrent(MESSAGES, p -> BLOCK));
    requests = ByteBuffer.allocateDirect(17 * MESSAGES);
    byte[] key = new byte[20];
    random.nextBytes(key);
    rc4 = new Rc4(key);
    arcfour = Cipher.getInstance("ARCFOUR");
    arcfour.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ARCFOUR"));
    arcfour.update(new byte[1024]);
    cipherOut = new byte[BLOCK];
    destination = ByteBuffer.allocate(BLOCK);
  }

  /** Decodes the whole stream of 256 piece messages (4 MiB). */
  @Benchmark
  @OperationsPerInvocation(MESSAGES)
  public long decodePieceStream() throws Exception {
    ByteBuffer in = stream.duplicate();
    long sum = 0;
    PeerMessage m;
    while ((m = decoder.decode(in)) != null) {
      ByteBuffer data = ((PeerMessage.Piece) m).data();
      sum += data.get(0) + data.get(data.limit() - 1);
    }
    return sum;
  }

  /**
   * Decodes the stream and copies every block into a destination buffer, as the session does when
   * it hands a block to the disk executor: this is the memory-copy-bound figure.
   */
  @Benchmark
  @OperationsPerInvocation(MESSAGES)
  public ByteBuffer decodePieceStreamAndCopy() throws Exception {
    ByteBuffer in = stream.duplicate();
    PeerMessage m;
    while ((m = decoder.decode(in)) != null) {
      destination.clear();
      destination.put(((PeerMessage.Piece) m).data());
    }
    return destination;
  }

  /** Encodes 256 request messages into a buffer. */
  @Benchmark
  @OperationsPerInvocation(MESSAGES)
  public void encodeRequests(Blackhole hole) {
    requests.clear();
    for (int i = 0; i < MESSAGES; i++) {
      MessageEncoder.encodeRequest(i, 0, BLOCK, requests);
    }
    hole.consume(requests);
  }

  /** Our RC4 over a 16 KiB block in place. */
  @Benchmark
  public byte[] rc4Bitwright() {
    rc4.apply(block, 0, BLOCK);
    return block;
  }

  /** The JDK's ARCFOUR over a 16 KiB block. */
  @Benchmark
  public byte[] rc4Jdk() throws Exception {
    arcfour.update(block, 0, BLOCK, cipherOut, 0);
    return cipherOut;
  }
}
