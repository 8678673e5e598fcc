package dev.bitwright.wire;

import static dev.bitwright.wire.WireBytes.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bitwright.wire.PeerMessage.AllowedFast;
import dev.bitwright.wire.PeerMessage.Bitfield;
import dev.bitwright.wire.PeerMessage.Cancel;
import dev.bitwright.wire.PeerMessage.Choke;
import dev.bitwright.wire.PeerMessage.Extended;
import dev.bitwright.wire.PeerMessage.Handler;
import dev.bitwright.wire.PeerMessage.HashReject;
import dev.bitwright.wire.PeerMessage.HashRequest;
import dev.bitwright.wire.PeerMessage.Hashes;
import dev.bitwright.wire.PeerMessage.Have;
import dev.bitwright.wire.PeerMessage.HaveAll;
import dev.bitwright.wire.PeerMessage.HaveNone;
import dev.bitwright.wire.PeerMessage.Interested;
import dev.bitwright.wire.PeerMessage.KeepAlive;
import dev.bitwright.wire.PeerMessage.NotInterested;
import dev.bitwright.wire.PeerMessage.Piece;
import dev.bitwright.wire.PeerMessage.Port;
import dev.bitwright.wire.PeerMessage.Reject;
import dev.bitwright.wire.PeerMessage.Request;
import dev.bitwright.wire.PeerMessage.Suggest;
import dev.bitwright.wire.PeerMessage.Unchoke;
import dev.bitwright.wire.PeerMessage.Unknown;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link PeerMessage#dispatch} calls the handler method of the message's own type. */
class PeerMessageDispatchTest {
  /** A frame of message id 10, which no BEP this library implements defines. */
  private static final String UNKNOWN_FRAME = "00000003 0a 0102";

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.bitwright.wire.MessageCodecTest#goldens")
  void aDecodedMessageReachesTheMethodOfItsType(String name, PeerMessage message, String golden)
      throws Exception {
    PeerMessage decoded =
        new MessageDecoder(WireLimits.unknownTorrent()).decode(ByteBuffer.wrap(hex(golden)));
    assertDispatchedToItsOwnMethod(decoded, message);
  }

  @Test
  void anUnknownMessageReachesOnUnknown() throws Exception {
    PeerMessage decoded =
        new MessageDecoder(WireLimits.unknownTorrent()).decode(ByteBuffer.wrap(hex(UNKNOWN_FRAME)));
    assertDispatchedToItsOwnMethod(decoded, new Unknown(10, 2));
  }

  @Property
  void everyEncodableMessageRoundTripsToTheMethodOfItsType(@ForAll("messages") PeerMessage message)
      throws Exception {
    PeerMessage decoded =
        new MessageDecoder(WireArbitraries.limits()).decode(MessageEncoder.encode(message));
    assertDispatchedToItsOwnMethod(decoded, message);
  }

  @Provide
  Arbitrary<PeerMessage> messages() {
    return WireArbitraries.messages();
  }

  @Test
  void theTestsAboveCoverEveryMessageType() {
    Set<Class<?>> covered =
        MessageCodecTest.goldens()
            .map(arguments -> arguments.get()[1].getClass())
            .collect(Collectors.toCollection(HashSet::new));
    covered.add(Unknown.class);
    assertThat(covered).containsExactlyInAnyOrder(PeerMessage.class.getPermittedSubclasses());
  }

  @Test
  void theHandlerHasOneMethodPerMessageTypeAndNoDefaults() {
    Method[] methods = Handler.class.getDeclaredMethods();
    assertThat(Arrays.stream(methods).filter(Method::isDefault)).isEmpty();
    assertThat(Arrays.stream(methods).map(m -> m.getParameterTypes()[0]))
        .containsExactlyInAnyOrder(PeerMessage.class.getPermittedSubclasses());
  }

  @Test
  void whatTheHandlerThrowsReachesTheCaller() {
    WireException refusal = new WireException("have beyond the piece count", -1);
    Recorder refusing = new Recorder();
    refusing.refusal = refusal;
    assertThatThrownBy(() -> new Have(99).dispatch(refusing)).isSameAs(refusal);
    assertThat(refusing.type).isEqualTo(Have.class);
  }

  private static void assertDispatchedToItsOwnMethod(PeerMessage decoded, PeerMessage expected)
      throws WireException {
    Recorder recorder = new Recorder();
    decoded.dispatch(recorder);
    assertThat(recorder.calls).isEqualTo(1);
    assertThat(recorder.type).isEqualTo(expected.getClass());
    assertThat(recorder.message).isSameAs(decoded).isEqualTo(expected);
  }

  /**
   * Remembers which method was called with what (the type is the method's own parameter type), and
   * throws {@link #refusal} when set.
   */
  private static final class Recorder implements Handler {
    int calls;
    Class<?> type;
    PeerMessage message;
    WireException refusal;

    private void record(Class<? extends PeerMessage> methodType, PeerMessage received)
        throws WireException {
      calls++;
      type = methodType;
      message = received;
      if (refusal != null) {
        throw refusal;
      }
    }

    @Override
    public void onKeepAlive(KeepAlive message) throws WireException {
      record(KeepAlive.class, message);
    }

    @Override
    public void onChoke(Choke message) throws WireException {
      record(Choke.class, message);
    }

    @Override
    public void onUnchoke(Unchoke message) throws WireException {
      record(Unchoke.class, message);
    }

    @Override
    public void onInterested(Interested message) throws WireException {
      record(Interested.class, message);
    }

    @Override
    public void onNotInterested(NotInterested message) throws WireException {
      record(NotInterested.class, message);
    }

    @Override
    public void onHave(Have message) throws WireException {
      record(Have.class, message);
    }

    @Override
    public void onBitfield(Bitfield message) throws WireException {
      record(Bitfield.class, message);
    }

    @Override
    public void onRequest(Request message) throws WireException {
      record(Request.class, message);
    }

    @Override
    public void onPiece(Piece message) throws WireException {
      record(Piece.class, message);
    }

    @Override
    public void onCancel(Cancel message) throws WireException {
      record(Cancel.class, message);
    }

    @Override
    public void onPort(Port message) throws WireException {
      record(Port.class, message);
    }

    @Override
    public void onSuggest(Suggest message) throws WireException {
      record(Suggest.class, message);
    }

    @Override
    public void onHaveAll(HaveAll message) throws WireException {
      record(HaveAll.class, message);
    }

    @Override
    public void onHaveNone(HaveNone message) throws WireException {
      record(HaveNone.class, message);
    }

    @Override
    public void onReject(Reject message) throws WireException {
      record(Reject.class, message);
    }

    @Override
    public void onAllowedFast(AllowedFast message) throws WireException {
      record(AllowedFast.class, message);
    }

    @Override
    public void onExtended(Extended message) throws WireException {
      record(Extended.class, message);
    }

    @Override
    public void onHashRequest(HashRequest message) throws WireException {
      record(HashRequest.class, message);
    }

    @Override
    public void onHashes(Hashes message) throws WireException {
      record(Hashes.class, message);
    }

    @Override
    public void onHashReject(HashReject message) throws WireException {
      record(HashReject.class, message);
    }

    @Override
    public void onUnknown(Unknown message) throws WireException {
      record(Unknown.class, message);
    }
  }
}
