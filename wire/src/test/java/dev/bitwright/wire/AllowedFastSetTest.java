package dev.bitwright.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The canonical allowed fast set of BEP 6, against the BEP's own vectors. */
class AllowedFastSetTest {
  private static final byte[] INFO_HASH = new byte[20];

  static {
    Arrays.fill(INFO_HASH, (byte) 0xaa);
  }

  private static Inet4Address ip(String dotted) throws Exception {
    return (Inet4Address) InetAddress.getByName(dotted);
  }

  @Test
  void bep6SevenPieceVector() throws Exception {
    assertThat(AllowedFastSet.generate(7, 1313, INFO_HASH, ip("80.4.4.200")))
        .containsExactly(1059, 431, 808, 1217, 287, 376, 1188);
  }

  @Test
  void bep6NinePieceVector() throws Exception {
    assertThat(AllowedFastSet.generate(9, 1313, INFO_HASH, ip("80.4.4.200")))
        .containsExactly(1059, 431, 808, 1217, 287, 376, 1188, 353, 508);
  }

  @Test
  void theLastOctetOfTheAddressDoesNotMatter() throws Exception {
    List<Integer> set = AllowedFastSet.generate(9, 1313, INFO_HASH, ip("80.4.4.200"));
    assertThat(AllowedFastSet.generate(9, 1313, INFO_HASH, ip("80.4.4.1"))).isEqualTo(set);
    assertThat(AllowedFastSet.generate(9, 1313, INFO_HASH, ip("80.4.5.200"))).isNotEqualTo(set);
  }

  @Test
  void theInfoHashMatters() throws Exception {
    byte[] other = INFO_HASH.clone();
    other[19] = 0;
    assertThat(AllowedFastSet.generate(9, 1313, other, ip("80.4.4.200")))
        .isNotEqualTo(AllowedFastSet.generate(9, 1313, INFO_HASH, ip("80.4.4.200")));
  }

  @Test
  void aLargerKExtendsASmallerSet() throws Exception {
    List<Integer> big = AllowedFastSet.generate(100, 1313, INFO_HASH, ip("10.0.0.1"));
    assertThat(big).hasSize(100).doesNotHaveDuplicates().allMatch(i -> i >= 0 && i < 1313);
    for (int k = 0; k <= 100; k += 7) {
      assertThat(AllowedFastSet.generate(k, 1313, INFO_HASH, ip("10.0.0.1")))
          .isEqualTo(big.subList(0, k));
    }
  }

  @Test
  void kAbovePieceCountGivesEveryPieceOnce() throws Exception {
    List<Integer> set = AllowedFastSet.generate(10, 5, INFO_HASH, ip("80.4.4.200"));
    assertThat(set).hasSize(5).containsExactlyInAnyOrder(0, 1, 2, 3, 4);
    assertThat(AllowedFastSet.generate(1, 1, INFO_HASH, ip("80.4.4.200"))).containsExactly(0);
  }

  @Test
  void kZeroOrNoPiecesGiveAnEmptySet() throws Exception {
    assertThat(AllowedFastSet.generate(0, 1313, INFO_HASH, ip("80.4.4.200"))).isEmpty();
    assertThat(AllowedFastSet.generate(9, 0, INFO_HASH, ip("80.4.4.200"))).isEmpty();
    assertThat(AllowedFastSet.generate(9, -1, INFO_HASH, ip("80.4.4.200"))).isEmpty();
  }

  @Test
  void invalidArgumentsAreRefused() throws Exception {
    Inet4Address ip = ip("80.4.4.200");
    assertThatThrownBy(() -> AllowedFastSet.generate(-1, 10, INFO_HASH, ip))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AllowedFastSet.generate(1, 10, new byte[32], ip))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
