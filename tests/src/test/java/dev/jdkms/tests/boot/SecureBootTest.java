package dev.jdkms.tests.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jdkms.tests.harness.Apt;
import dev.jdkms.tests.harness.DebianRoot;
import dev.jdkms.tests.harness.DkmsSandboxExtension;
import dev.jdkms.tests.harness.DkmsUnderTest;
import dev.jdkms.tests.harness.EfiVarStore;
import dev.jdkms.tests.harness.Repo;
import dev.jdkms.tests.harness.Result;
import dev.jdkms.tests.harness.Sandbox;
import dev.jdkms.tests.harness.SandboxFamily;
import dev.jdkms.tests.harness.Vm;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Secure Boot, as a user meets it: OVMF with Microsoft's keys and Secure Boot on, Debian's signed
 * chain (shim, grub, the kernel), the kernel locked down. Modules jdkms built and signed with its
 * MOK (once through the kernel's sign-file, once with the built-in signer) are refused until the
 * certificate is enrolled (written into MokList ahead of boot, as MokManager would), then load
 * without the unsigned-module taint; a module without a signature and one signed by another key are
 * refused either way.
 */
class SecureBootTest {
  private static final String VARIANTS = "/root/variants";
  private static final List<String> MODULES =
      List.of("signfile", "builtin", "unsigned", "otherkey");
  private static final long TAINT_UNSIGNED_MODULE = 1 << 13;

  private static SandboxFamily family;
  private static X509Certificate mok;
  private static Vm.Outcome before;
  private static Vm.Outcome after;

  @BeforeAll
  static void bootBeforeAndAfterEnrolment() throws Exception {
    assumeTrue(DkmsUnderTest.isJdkms(), "tests the jdkms .deb, not " + DkmsUnderTest.SETUP_ENV);
    DkmsSandboxExtension.requireRoot();
    DebianRoot root = DebianRoot.of(GuestRoots.bookworm());
    String kernel = root.kernels().get(0);
    family = SandboxFamily.create("SecureBootTest");
    Sandbox sb = family.sandbox("guest").withRoot(root.path());
    Apt.installJdkms(sb).requireSuccess();
    sb.addFixture("jdkms_hello-1.0", "/usr/src");
    sb.addFixture("dkms_jd_test-1.0", "/usr/src");
    Result signFile = sb.run("dkms", "install", "jdkms_hello/1.0", "-k", kernel);
    assertThat(signFile.outputLines())
        .as(signFile.describe())
        .anyMatch(l -> l.startsWith("Sign command: /") && l.endsWith("/scripts/sign-file"));
    sb.sh(
            "mkdir -p /etc/dkms/framework.conf.d"
                + " && echo jdkms_signer=builtin > /etc/dkms/framework.conf.d/builtin.conf")
        .requireSuccess();
    Result builtin = sb.run("dkms", "install", "dkms_jd_test/1.0", "-k", kernel);
    assertThat(builtin.outputLines())
        .as(builtin.describe())
        .contains("Sign command: jdkms built-in signer");
    sb.run(Repo.root().resolve("tests/vm/module-variants").toString(), kernel, VARIANTS)
        .requireSuccess();
    sb.run(GuestRoots.makeImage(), "--with-java", GuestRoots.OUT, kernel).requireSuccess();
    mok = certificate(Files.readAllBytes(sb.upper("/var/lib/dkms/mok.pub")));

    Path esp = family.dir().resolve("esp.img");
    String insmod =
        String.join(",", MODULES.stream().map(m -> VARIANTS + "/" + m + ".ko").toList());
    host(
        Repo.root().resolve("tests/vm/make-esp").toString(),
        esp.toString(),
        root.path().resolve(DebianRoot.DEBS.substring(1)).toString(),
        sb.upper(GuestRoots.OUT + "/vmlinuz-" + kernel).toString(),
        sb.upper(GuestRoots.OUT + "/initrd.img-" + kernel).toString(),
        GuestRoots.cmdline("jdkms_insmod=" + insmod + " jdkms_report=1"));
    Path disk = sb.upper(GuestRoots.OUT + "/root.img");
    Path plain = family.dir().resolve("vars-plain.fd");
    Files.copy(Vm.OVMF_VARS_MS, plain);
    before = Vm.run(Vm.Boot.secure(disk, esp, plain), family.dir().resolve("vm-before"));
    Path enrolled = family.dir().resolve("vars-enrolled.fd");
    Files.copy(Vm.OVMF_VARS_MS, enrolled);
    EfiVarStore.enrolMok(enrolled, mok.getEncoded());
    after = Vm.run(Vm.Boot.secure(disk, esp, enrolled), family.dir().resolve("vm-after"));
    for (Vm.Outcome boot : List.of(before, after)) { // the README's transcript comes from here
      System.out.println(
          "[vm] jdkms secureboot in the guest:\n  " + String.join("\n  ", boot.proof("report")));
    }
  }

  @AfterAll
  static void cleanUp() {
    if (family != null) {
      family.close();
    }
  }

  @Test
  void theGuestRunsWithSecureBootOnAndTheKernelLockedDown() {
    for (Vm.Outcome boot : List.of(before, after)) {
      boot.requireFinished();
      assertThat(boot.first("secureboot")).as(boot.tail()).isEqualTo("1");
      assertThat(boot.first("lockdown")).as(boot.tail()).contains("[integrity]");
    }
  }

  @Test
  void beforeEnrolmentNoModuleLoads() {
    before.requireFinished();
    for (String m : MODULES) {
      assertThat(insmod(before, m)).as(before.tail()).doesNotContain(" exit=0 ");
    }
  }

  @Test
  void afterEnrolmentJdkmsSignedModulesLoadWithoutTheUnsignedTaint() {
    after.requireFinished();
    assertThat(after.proof("report"))
        .as(after.tail())
        .contains("  subject: CN=" + commonName(mok), "  enrolled: yes, in MokListRT");
    for (String m : List.of("signfile", "builtin")) {
      String line = insmod(after, m);
      assertThat(line).as(after.tail()).contains(" exit=0 ");
      long taint = Long.parseLong(line.replaceAll(".* tainted-after=(\\d+).*", "$1"));
      assertThat(taint & TAINT_UNSIGNED_MODULE).as(line).isZero();
    }
  }

  @Test
  void afterEnrolmentUnsignedAndForeignModulesAreStillRefused() {
    after.requireFinished();
    for (String m : List.of("unsigned", "otherkey")) {
      assertThat(insmod(after, m)).as(after.tail()).doesNotContain(" exit=0 ");
    }
  }

  @Test
  void jdkmsSecurebootTellsTheUserBeforeAndAfterEnrolment() {
    before.requireFinished();
    after.requireFinished();
    assertThat(before.proof("report"))
        .as(before.tail())
        .contains("Secure Boot: on", "Signing certificate: /var/lib/dkms/mok.pub")
        .anyMatch(l -> l.contains("enrolled: no"))
        .anyMatch(l -> l.contains("mokutil --import /var/lib/dkms/mok.pub"))
        .anyMatch(l -> l.contains("jdkms_hello.ko: will NOT load"));
    assertThat(after.proof("report"))
        .as(after.tail())
        .contains("Secure Boot: on")
        .anyMatch(l -> l.contains("enrolled: yes"))
        .anyMatch(l -> l.contains("jdkms_hello.ko: will load"));
  }

  private static String insmod(Vm.Outcome boot, String variant) {
    String path = VARIANTS + "/" + variant + ".ko ";
    return boot.proof("insmod").stream()
        .filter(l -> l.startsWith(path))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no insmod report for " + variant));
  }

  private static X509Certificate certificate(byte[] der) throws CertificateException {
    return (X509Certificate)
        CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
  }

  private static String commonName(X509Certificate c) {
    return c.getSubjectX500Principal().getName().replaceAll("^.*CN=([^,]*).*$", "$1");
  }

  private static void host(String... argv) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(argv).inheritIO().start();
    if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new AssertionError("failed: " + String.join(" ", argv));
    }
  }
}
