package dev.jdkms.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jdkms.tests.harness.DkmsTest;
import dev.jdkms.tests.harness.DkmsUnderTest;
import dev.jdkms.tests.harness.Result;
import dev.jdkms.tests.harness.Sandbox;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What {@code ./run install} lays down (jdkms only: skipped when JDKMS_IT_SETUP is set). */
@DkmsTest
class InstallTest {

  @BeforeEach
  void onlyForJdkms() {
    assumeTrue(DkmsUnderTest.isJdkms(), "checks jdkms's own installation layout");
  }

  @Test
  void layoutJavaChoiceAndStartupCache(Sandbox sb) {
    assertThat(sb.run("readlink", "/usr/sbin/dkms").stdout()).isEqualTo("../lib/jdkms/bin/dkms\n");
    sb.run("test", "-x", "/usr/lib/jdkms/bin/dkms").requireSuccess();
    sb.run("test", "-f", "/usr/lib/jdkms/lib/dkms.jar").requireSuccess();
    sb.run("test", "-d", "/var/lib/dkms").requireSuccess();
    sb.run("test", "-d", "/etc/dkms/framework.conf.d").requireSuccess();

    Map<String, String> env =
        sb.readFile("/usr/lib/jdkms/lib/java.env")
            .lines()
            .map(l -> l.split("=", 2))
            .collect(Collectors.toMap(a -> a[0], a -> a[1].replace("'", "")));
    assertThat(env).containsOnlyKeys("JDKMS_JAVA", "JDKMS_JAVA_FEATURE");
    int feature = Integer.parseInt(env.get("JDKMS_JAVA_FEATURE"));
    assertThat(feature).isGreaterThanOrEqualTo(17);
    sb.run("test", "-x", env.get("JDKMS_JAVA")).requireSuccess();

    String cache = feature >= 25 ? "/usr/lib/jdkms/lib/dkms.aot" : "/usr/lib/jdkms/lib/dkms.jsa";
    assertThat(sb.exists(cache)).as(cache).isTrue();
    // The cache is accepted: the launcher starts without any JVM warning.
    Result version = sb.run("/usr/sbin/dkms", "--version");
    assertThat(version.exitCode()).as(version.describe()).isZero();
    assertThat(version.stderr()).as(version.describe()).isEmpty();
  }
}
