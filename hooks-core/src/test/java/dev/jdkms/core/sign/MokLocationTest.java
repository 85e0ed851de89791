package dev.jdkms.core.sign;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class MokLocationTest {
  static final Set<String> SHIM = Set.of(MokLocation.SHIM_KEY, MokLocation.SHIM_CERTIFICATE);
  static final Set<String> DKMS = Set.of(MokLocation.DKMS_KEY, MokLocation.DKMS_CERTIFICATE);

  @Test
  void upstreamsDefaultWhenNothingIsThere() {
    assertThat(MokLocation.resolve("", "", files(Set.of())))
        .isEqualTo(new MokLocation("/var/lib/dkms/mok.key", "/var/lib/dkms/mok.pub"));
  }

  @Test
  void debiansShimSignedPairRatherThanGeneratingAnUnenrolledKey() {
    assertThat(MokLocation.resolve("", "", files(SHIM)))
        .isEqualTo(
            new MokLocation(
                "/var/lib/shim-signed/mok/MOK.priv", "/var/lib/shim-signed/mok/MOK.der"));
  }

  @Test
  void anExistingDkmsPairIsKeptItMayBeTheEnrolledOne() {
    Set<String> both = new java.util.HashSet<>(SHIM);
    both.addAll(DKMS);
    assertThat(MokLocation.resolve("", "", files(both)).key()).isEqualTo(MokLocation.DKMS_KEY);
  }

  @Test
  void configurationWinsAndEachHalfDefaultsLikeUpstream() {
    assertThat(MokLocation.resolve("/k", "/c", files(SHIM))).isEqualTo(new MokLocation("/k", "/c"));
    assertThat(MokLocation.resolve("/k", "", files(SHIM)))
        .isEqualTo(new MokLocation("/k", MokLocation.DKMS_CERTIFICATE));
    assertThat(MokLocation.resolve("", "/c", files(SHIM)))
        .isEqualTo(new MokLocation(MokLocation.DKMS_KEY, "/c"));
  }

  @Test
  void halfAShimPairIsNotUsed() {
    assertThat(MokLocation.resolve("", "", files(Set.of(MokLocation.SHIM_CERTIFICATE))).key())
        .isEqualTo(MokLocation.DKMS_KEY);
  }

  private static Predicate<Path> files(Set<String> existing) {
    return p -> existing.contains(p.toString());
  }
}
