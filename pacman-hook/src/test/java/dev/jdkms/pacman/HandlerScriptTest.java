package dev.jdkms.pacman;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alpm hook handler (src/main/alpm/scripts/jdkms) with a stand-in for the jdkms launcher that
 * records its arguments and path lists, prints a given report and exits with a given status:
 * pacman's exit policy (always 0) and the {@code ==> ERROR:} summary. PacmanTest runs it under the
 * real pacman with the real engine.
 */
class HandlerScriptTest {
  private static final Path SCRIPT =
      Path.of(System.getProperty("user.dir")).resolve("src/main/alpm/scripts/jdkms");

  private static final String FAILED_REPORT =
      """
      Autoinstall of module jdkms_broken/1.0 for kernel 6.1.0-55-amd64 (x86_64)
      jdkms transaction:
      jdkms_broken/1.0                 6.1.0-55-amd64           build failed (exit 10), built in 2.1 s
          | broken.c:7:17: error: expected ';' before '}' token
          log: /var/lib/dkms/jdkms_broken/1.0/.logs/make.log.1
      alpha/1.0                        6.1.0-55-amd64           installed, built in 2.0 s
      beta/1.0                         6.1.0-55-amd64           not installed: BUILD_DEPENDS gamma not installed
      excl/1.0                         6.1.0-55-amd64           skipped (BUILD_EXCLUSIVE: not for this kernel)
      initramfs of 6.1.0-55-amd64: left as is (no module in it changed)
      note: something informative
      gamma/1.0: add failed (exit 8)
      """;

  @TempDir Path tmp;

  record Run(int status, String output, String stderr, String calls) {}

  private Run run(String mode, String stdin, String report, int status)
      throws IOException, InterruptedException {
    return run(mode, stdin, report, "", status);
  }

  /**
   * The handler with a stand-in launcher printing {@code report} and exiting with {@code status}.
   */
  private Run run(String mode, String stdin, String report, String failures, int status)
      throws IOException, InterruptedException {
    Path fake = tmp.resolve("jdkms");
    Path calls = tmp.resolve("calls");
    Files.writeString(tmp.resolve("report"), report);
    Files.writeString(tmp.resolve("failures"), failures);
    Files.writeString(
        fake,
        String.join(
            "\n",
            "#!/bin/sh",
            "echo \"$*\" >> '" + calls + "'",
            "for a; do [ -f \"$a\" ] && sed 's/^/  /' \"$a\" >> '" + calls + "'; done",
            "while [ $# -gt 0 ]; do",
            "  [ \"$1\" = --failures ] && cp '" + tmp.resolve("failures") + "' \"$2\"",
            "  shift",
            "done",
            "cat '" + tmp.resolve("report") + "'",
            "exit " + status,
            ""));
    Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
    ProcessBuilder pb =
        new ProcessBuilder("sh", SCRIPT.toString(), mode)
            .redirectOutput(tmp.resolve("out").toFile())
            .redirectError(tmp.resolve("err").toFile());
    pb.environment().put("JDKMS_ALPM_JDKMS", fake.toString());
    pb.environment().put("JDKMS_ALPM_NOTES", tmp.resolve("notes").toString());
    Process p = pb.start();
    try (OutputStream in = p.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new Run(
        p.exitValue(),
        Files.readString(tmp.resolve("out")),
        Files.readString(tmp.resolve("err")),
        Files.exists(calls) ? Files.readString(calls) : "");
  }

  @Test
  void removalsAndInPlaceUpgradesNotedEarlierJoinTheOnePlanOfTheInstallHook() throws Exception {
    Run removed =
        run(
            "removed",
            "usr/lib/modules/6.1.0-55-amd64/vmlinuz\nusr/src/hello2-1.0-rc1/dkms.conf\n",
            "",
            0);
    assertThat(removed.calls()).isEmpty(); // only noted
    Run upgraded = run("upgraded", "usr/src/same-1/dkms.conf\n", "", 0);
    assertThat(upgraded.calls()).isEmpty();
    Run r =
        run(
            "install",
            "usr/lib/modules/6.1.0-55-amd64/vmlinuz\nusr/lib/modules/6.1.0-56-amd64/vmlinuz\n"
                + "usr/src/hello2-1.0-rc1/dkms.conf\nusr/src/same-1/dkms.conf\n",
            "dkms: removing module hello2/1.0-rc1\n",
            0);
    assertThat(r.status()).isZero();
    assertThat(r.calls().lines())
        .first()
        .asString()
        .matches("transaction --failures /\\S+ --paths-removed /\\S+ --paths-installed /\\S+");
    // removed: what went and what was upgraded in place; installed: everything but what went
    assertThat(r.calls().lines().skip(1))
        .containsExactly(
            "  usr/lib/modules/6.1.0-55-amd64/vmlinuz",
            "  usr/src/hello2-1.0-rc1/dkms.conf",
            "  usr/src/same-1/dkms.conf",
            "  usr/lib/modules/6.1.0-56-amd64/vmlinuz",
            "  usr/src/same-1/dkms.conf");
    assertThat(r.output()).isEqualTo("dkms: removing module hello2/1.0-rc1\n");
    assertThat(r.stderr()).isEmpty();
    assertThat(tmp.resolve("notes/.jdkms-alpm-removed")).doesNotExist();
    assertThat(tmp.resolve("notes/.jdkms-alpm-upgraded")).doesNotExist();
  }

  @Test
  void installPassesNoUpgradedPathsWithoutANoteOfThisTransaction() throws Exception {
    Run r = run("install", "usr/src/jdkms_hello-1.0/dkms.conf\n", "", 0);
    assertThat(r.status()).isZero();
    assertThat(r.calls().lines())
        .first()
        .asString()
        .matches("transaction --failures /\\S+ --paths-removed /\\S+ --paths-installed /\\S+");
    assertThat(r.calls().lines().skip(1)).containsExactly("  usr/src/jdkms_hello-1.0/dkms.conf");
  }

  @Test
  void failedModulesBecomeErrorLinesAndTheHookStillSucceeds() throws Exception {
    Run r =
        run(
            "install",
            "usr/src/jdkms_broken-1.0/dkms.conf\n",
            FAILED_REPORT,
            "jdkms_broken/1.0 6.1.0-55-amd64\nbeta/1.0 6.1.0-55-amd64\nlost/1.0 6.1.0-56-amd64\n",
            11);
    assertThat(r.status()).isZero();
    assertThat(r.output()).isEqualTo(FAILED_REPORT);
    assertThat(r.stderr().lines())
        .containsExactly(
            "==> ERROR: jdkms_broken/1.0 for kernel 6.1.0-55-amd64: build failed (exit 10);"
                + " log: /var/lib/dkms/jdkms_broken/1.0/.logs/make.log.1",
            "==> ERROR: beta/1.0 for kernel 6.1.0-55-amd64: not installed: BUILD_DEPENDS gamma"
                + " not installed",
            "==> ERROR: lost/1.0 for kernel 6.1.0-56-amd64: failed; see the messages above",
            "==> ERROR: gamma/1.0: add failed (exit 8)");
  }

  @Test
  void exit11WithoutNamedFailuresStillSaysSomethingFailed() throws Exception {
    Run r = run("install", "usr/src/x-1/dkms.conf\n", "jdkms transaction:\n", 11);
    assertThat(r.status()).isZero();
    assertThat(r.stderr().lines())
        .containsExactly(
            "==> ERROR: jdkms transaction failed with exit status 11; see the messages above");
  }

  @Test
  void anyOtherFailureIsOneErrorLineAndTheHookStillSucceeds() throws Exception {
    Run r = run("install", "usr/src/x-1/dkms.conf\n", "Error! something\n", 4);
    assertThat(r.status()).isZero();
    assertThat(r.stderr().lines())
        .containsExactly(
            "==> ERROR: jdkms transaction failed with exit status 4; see the messages above");
  }

  @Test
  void aMissingLauncherIsAnErrorLineNotAFailedTransaction() throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder("sh", SCRIPT.toString(), "install")
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("out").toFile());
    pb.environment().put("JDKMS_ALPM_JDKMS", tmp.resolve("missing").toString());
    Process p = pb.start();
    try (OutputStream in = p.getOutputStream()) {
      in.write("usr/src/x-1/dkms.conf\n".getBytes(StandardCharsets.UTF_8));
    }
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
    assertThat(Files.readString(tmp.resolve("out")))
        .contains("==> ERROR: jdkms transaction failed with exit status 127");
  }

  @Test
  void aBadModeIsAnErrorLine() throws Exception {
    Run r = run("frobnicate", "", "", 0);
    assertThat(r.status()).isZero();
    assertThat(r.calls()).isEmpty();
    assertThat(r.stderr()).startsWith("==> ERROR: usage: ");
  }
}
