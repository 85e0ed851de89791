package dev.jdkms.tests;

import static dev.jdkms.tests.Expect.lines;
import static dev.jdkms.tests.Expect.prologue;
import static dev.jdkms.tests.Expect.signFile;
import static dev.jdkms.tests.Expect.signing;
import static dev.jdkms.tests.Expect.status;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jdkms.tests.harness.Batch;
import dev.jdkms.tests.harness.DkmsTest;
import dev.jdkms.tests.harness.Kernels;
import dev.jdkms.tests.harness.Result;
import dev.jdkms.tests.harness.Sandbox;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Module signing as framework.conf configures it: missing or failing tools, unusable key and
 * certificate paths, ${kernelver} in paths, try_sign_modules, the hash algorithm of --config.
 * Signing never fails a build. Expected output is upstream dkms 3.4.3's.
 */
@DkmsTest
class SigningTest {
  private static final String T = "dkms_jd_test";
  private static final String TV = T + "/1.0";
  private static final String CONF = "/etc/dkms/framework.conf.d/jd-signing.conf";
  private static final String GENERATING =
      "Certificate or key are missing, generating self signed certificate for MOK...";

  private static String module(String k) {
    return "/var/lib/dkms/" + TV + "/" + k + "/" + Expect.ARCH + "/module/" + T + ".ko";
  }

  /** A batch with the module added and {@code lines} written to a framework.conf.d file. */
  private static Batch configured(Sandbox sb, String... conf) {
    Batch b = new Batch(sb);
    b.setup(Batch.copyFixture(T + "-1.0"));
    b.setup("dkms add " + TV);
    b.setup(
        "mkdir -p /etc/dkms/framework.conf.d && printf '%s\\n' "
            + String.join(" ", List.of(conf).stream().map(Batch::quote).toList())
            + " > "
            + CONF);
    return b;
  }

  private static void assertBuiltUnsigned(Result build, Result signer, List<String> stdout) {
    assertThat(build.exitCode()).as(build.describe()).isZero();
    assertThat(build.stdoutLines()).as(build.describe()).containsExactlyElementsOf(stdout);
    assertThat(build.stderr()).as(build.describe()).isEmpty();
    assertThat(signer.exitCode()).as(signer.describe()).isZero();
    assertThat(signer.stdout()).as("the module has no signature").isEmpty();
  }

  @Test
  void missingSignFileBuildsUnsignedModules(Sandbox sb) {
    String k = Kernels.newest(1).get(0);
    Batch b = configured(sb, "sign_file=/no/such/sign-file");
    var build = b.step("dkms build " + TV + " -k " + k);
    var signer = b.step("modinfo -F signer " + module(k));
    b.run();

    assertBuiltUnsigned(
        build.result(),
        signer.result(),
        List.of(
            "Sign command: /no/such/sign-file",
            "Binary /no/such/sign-file not found, modules won't be signed",
            "",
            "Building module(s)... done."));
  }

  @Test
  void keyThatCannotBeGeneratedBuildsUnsignedModules(Sandbox sb) {
    String k = Kernels.newest(1).get(0);
    Batch b = configured(sb, "mok_signing_key=/no/such/dir/mok.key");
    var build = b.step("dkms build " + TV + " -k " + k);
    var signer = b.step("modinfo -F signer " + module(k));
    b.run();

    assertBuiltUnsigned(
        build.result(),
        signer.result(),
        List.of(
            "Sign command: " + signFile(k),
            "Signing key: /no/such/dir/mok.key",
            "Public certificate (MOK): /var/lib/dkms/mok.pub",
            GENERATING,
            "Key file /no/such/dir/mok.key not found and can't be generated, modules won't be signed",
            "",
            "Building module(s)... done."));
  }

  @Test
  void certificateThatCannotBeGeneratedBuildsUnsignedModules(Sandbox sb) {
    String k = Kernels.newest(1).get(0);
    Batch b = configured(sb, "mok_certificate=/no/such/dir/mok.pub");
    var build = b.step("dkms build " + TV + " -k " + k);
    var signer = b.step("modinfo -F signer " + module(k));
    b.run();

    assertBuiltUnsigned(
        build.result(),
        signer.result(),
        List.of(
            "Sign command: " + signFile(k),
            "Signing key: /var/lib/dkms/mok.key",
            "Public certificate (MOK): /no/such/dir/mok.pub",
            GENERATING,
            "Certificate file /no/such/dir/mok.pub not found and can't be generated, modules"
                + " won't be signed",
            "",
            "Building module(s)... done."));
  }

  @Test
  void failingSignFileOnlyWarns(Sandbox sb) {
    String k = Kernels.newest(1).get(0);
    Batch b = configured(sb, "sign_file=/bin/false");
    b.setup(Expect.MOK_PAIR);
    var build = b.step("dkms build " + TV + " -k " + k);
    var signer = b.step("modinfo -F signer " + module(k));
    var status = b.step("dkms status");
    b.run();

    Result r = build.result();
    assertThat(r.exitCode()).as(r.describe()).isZero();
    assertThat(r.stdoutLines())
        .as(r.describe())
        .containsExactly(
            "Sign command: /bin/false",
            "Signing key: /var/lib/dkms/mok.key",
            "Public certificate (MOK): /var/lib/dkms/mok.pub",
            "",
            "Building module(s)... done.",
            signing(T, "1.0", T));
    // The warning, then the tool's (empty) output.
    assertThat(r.stderrLines())
        .as(r.describe())
        .containsExactly(
            "Warning: Failed to sign module '/var/lib/dkms/" + TV + "/build/" + T + ".ko'!", "");
    assertThat(signer.result().stdout()).isEmpty();
    assertThat(status.result().stdoutLines()).containsExactly(status(TV, k, "built"));
  }

  @Test
  void kernelverInSigningPathsIsExpandedPerKernel(Sandbox sb) {
    List<String> ks = Kernels.newest(2);
    Batch b =
        configured(
            sb,
            "sign_file=\"/lib/modules/${kernelver}/build/scripts/sign-file\"",
            "mok_signing_key=\"/root/keys/${kernelver}/mok.key\"",
            "mok_certificate=\"/root/keys/${kernelver}/mok.pub\"");
    b.setup("mkdir -p /root/keys/" + ks.get(0) + " /root/keys/" + ks.get(1));
    var build = b.step("dkms build " + TV + " -k " + ks.get(0) + " -k " + ks.get(1));
    List<Batch.Step> keys =
        ks.stream()
            .map(
                k ->
                    b.step(
                        "openssl x509 -serial -inform DER -in /root/keys/"
                            + k
                            + "/mok.pub -noout | sed 's/^serial=//';"
                            + " modinfo -F sig_key "
                            + module(k)
                            + " | tr -d :"))
            .toList();
    b.run();

    Result r = build.result();
    assertThat(r.exitCode()).as(r.describe()).isZero();
    List<String> expected = new java.util.ArrayList<>();
    for (String k : ks) {
      expected.addAll(
          List.of(
              "Sign command: /lib/modules/" + k + "/build/scripts/sign-file",
              "Signing key: /root/keys/" + k + "/mok.key",
              "Public certificate (MOK): /root/keys/" + k + "/mok.pub",
              GENERATING,
              "",
              "Building module(s)... done.",
              signing(T, "1.0", T)));
    }
    assertThat(r.stdoutLines()).as(r.describe()).containsExactlyElementsOf(expected);
    assertThat(r.stderr()).as(r.describe()).isEmpty();
    // Each kernel's module is signed with that kernel's own key pair.
    for (var key : keys) {
      List<String> serials = key.result().stdoutLines();
      assertThat(serials).as(key.result().describe()).hasSize(2);
      assertThat(serials.get(1)).isNotEmpty().isEqualToIgnoringCase(serials.get(0));
    }
    assertThat(keys.get(0).result().stdoutLines().get(0))
        .isNotEqualTo(keys.get(1).result().stdoutLines().get(0));
  }

  @Test
  void tryToSignModulesFalseDisablesSigning(Sandbox sb) {
    String k = Kernels.newest(1).get(0);
    Batch b = configured(sb, "try_sign_modules=false");
    var build = b.step("dkms build " + TV + " -k " + k);
    var signer = b.step("modinfo -F signer " + module(k));
    var keys = b.step("ls /var/lib/dkms");
    b.run();

    assertBuiltUnsigned(
        build.result(),
        signer.result(),
        List.of(
            "Module signing is disabled by policy, modules won't be signed",
            "",
            "Building module(s)... done."));
    assertThat(keys.result().stdoutLines()).as("no MOK pair generated").containsExactly(T);
  }

  @Test
  void hashAlgorithmComesFromTheKernelConfigGivenWithConfig(Sandbox sb) {
    String k = Kernels.newest(1).get(0);
    Batch b = configured(sb);
    b.setup(Expect.MOK_PAIR);
    b.setup(
        "sed 's/^CONFIG_MODULE_SIG_HASH=.*/CONFIG_MODULE_SIG_HASH=\"sha512\"/' /lib/modules/"
            + k
            + "/build/.config > /root/kconfig");
    var kernelHash = b.step("grep ^CONFIG_MODULE_SIG_HASH= /lib/modules/" + k + "/build/.config");
    var build = b.step("dkms build " + TV + " -k " + k + " --config /root/kconfig");
    var modinfo =
        b.step(
            "for f in sig_hashalgo signer sig_key; do modinfo -F $f "
                + module(k)
                + "; done | tr -d :; openssl x509 -serial -inform DER -in /var/lib/dkms/mok.pub"
                + " -noout | sed 's/^serial=//'");
    b.run();

    assertThat(kernelHash.result().stdoutLines())
        .as("the kernel's own hash is another one")
        .containsExactly("CONFIG_MODULE_SIG_HASH=\"sha256\"");
    Result r = build.result();
    assertThat(r.exitCode()).as(r.describe()).isZero();
    assertThat(r.stdoutLines())
        .as(r.describe())
        .containsExactlyElementsOf(
            lines(prologue(k), "Building module(s)... done.", signing(T, "1.0", T)));
    List<String> info = modinfo.result().stdoutLines();
    assertThat(info).as(modinfo.result().describe()).hasSize(4);
    assertThat(info.subList(0, 2)).containsExactly("sha512", "DKMS module signing key");
    assertThat(info.get(2))
        .as("sig_key is the certificate's serial")
        .isEqualToIgnoringCase(info.get(3));
  }
}
