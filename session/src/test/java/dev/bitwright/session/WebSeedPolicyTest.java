package dev.bitwright.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WebSeedPolicyTest {
  @Test
  void alwaysAndNever() {
    assertThat(WebSeedPolicy.always().allows(Long.MAX_VALUE - 1)).isTrue();
    assertThat(WebSeedPolicy.never().allows(0)).isFalse();
  }

  @Test
  void peersFirstAndTheWebSeedsAsATopUp() {
    WebSeedPolicy policy = WebSeedPolicy.whenPeersSlowerThan(1_000_000);
    assertThat(policy.allows(999_999)).isTrue();
    assertThat(policy.allows(1_000_000)).isFalse();
    assertThat(policy).hasToString("when peers are slower than 1000000 B/s");
    assertThatThrownBy(() -> WebSeedPolicy.whenPeersSlowerThan(0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
