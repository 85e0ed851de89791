package dev.jdkms.tests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jdkms.tests.harness.DkmsTest;
import dev.jdkms.tests.harness.Result;
import dev.jdkms.tests.harness.Sandbox;
import org.junit.jupiter.api.Test;

/** Commands that need no module: the empty tree and the version. */
@DkmsTest
class StatusTest {

  @Test
  void statusOnEmptyTreePrintsNothing(Sandbox sb) {
    Result status = sb.run("dkms", "status");

    assertThat(status.exitCode()).as(status.describe()).isZero();
    assertThat(status.stdout()).as(status.describe()).isEmpty();
    assertThat(status.stderr()).as(status.describe()).isEmpty();
  }

  @Test
  void versionIsUpstreamCompatible(Sandbox sb) {
    Result version = sb.run("dkms", "--version");

    assertThat(version.exitCode()).as(version.describe()).isZero();
    assertThat(version.stdoutLines()).as(version.describe()).containsExactly("dkms-3.4.3");
  }
}
