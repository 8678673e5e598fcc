package dev.bitwright.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class UploadOnlyTest {

  @Test
  void oneByteOneForUploadOnly() throws Exception {
    assertThat(new UploadOnly(true).encode()).containsExactly(1);
    assertThat(new UploadOnly(false).encode()).containsExactly(0);
    assertThat(UploadOnly.decode(new byte[] {2})).isEqualTo(new UploadOnly(true));
    assertThat(UploadOnly.decode(new byte[] {0})).isEqualTo(new UploadOnly(false));
  }

  @Property
  void anyOtherLengthIsRejected(@ForAll byte[] payload) throws Exception {
    if (payload.length == 1) {
      assertThat(UploadOnly.decode(payload).uploadOnly()).isEqualTo(payload[0] != 0);
    } else {
      assertThatThrownBy(() -> UploadOnly.decode(payload)).isInstanceOf(WireException.class);
    }
  }
}
