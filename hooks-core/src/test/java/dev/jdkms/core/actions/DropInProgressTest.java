package dev.jdkms.core.actions;

import static dev.jdkms.core.testutil.FakeHost.ARCH;
import static dev.jdkms.core.testutil.FakeHost.module;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jdkms.core.session.ExitCode;
import dev.jdkms.core.testutil.FakeHost;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drop-in's build and install on a fake host whose stdout is a terminal or not (a fake {@code
 * /proc/self/fd/1}): not a terminal, the console is upstream's byte for byte; on a terminal the
 * same lines with jdkms's phase lines among them. Either way the build keeps its record.
 */
class DropInProgressTest {
  static final String M = "jdkms_progress";
  static final String V = "1.0";
  static final String K = "6.1.0-99-test";
  static final String K2 = "6.1.0-100-test";

  @TempDir Path dir;
  FakeHost host;
  Path lib;

  @BeforeEach
  void setUp() throws IOException {
    host = new FakeHost(dir, K);
    lib = host.kernel(K);
    Files.createDirectories(lib.resolve("build/include"));
    Path src =
        host.added(M, V, FakeHost.conf(M, V) + "MAKE[0]=\"sh ./fake-make.sh\"\nSTRIP[0]=\"no\"\n");
    // make's stand-in: a module that is no ELF file (the vermagic check passes over it)
    Files.writeString(
        src.resolve("fake-make.sh"), "echo building; printf 'module\\n' > " + M + ".ko\n");
  }

  private void stdout(String target) throws IOException {
    Path fd = Files.createDirectories(host.paths.proc().resolve("self/fd"));
    Files.deleteIfExists(fd.resolve("1"));
    Files.createSymbolicLink(fd.resolve("1"), Path.of(target));
  }

  private Path record() {
    return host.paths.dkmsTree().resolve(M + "/" + V + "/" + K + "/" + ARCH + "/log/jdkms.stats");
  }

  private String upstreamBuild() {
    return "Kernel config "
        + lib.resolve("build/.config")
        + " not found, modules won't be signed\n"
        + "\n"
        + "Building module(s)... done.\n";
  }

  @Test
  void notOnATerminalTheBuildPrintsUpstreamsLinesOnlyAndKeepsItsRecord() throws IOException {
    stdout("pipe:[4242]");
    int rc = host.dkms("build", module(M, V, K));
    assertThat(rc).as(host.output()).isEqualTo(ExitCode.SUCCESS);
    assertThat(host.output()).isEqualTo(upstreamBuild());
    assertThat(Files.readString(record()))
        .containsPattern("(?m)^peak_rss_kib=0$")
        .containsPattern("(?m)^make_ms=\\d+$")
        .containsPattern("(?m)^total_ms=\\d+$");
  }

  @Test
  void onATerminalEachPhaseHasALineAndASecondBuildEstimatesTheTimeLeft() throws IOException {
    stdout("/dev/pts/7");
    assertThat(host.dkms("build", module(M, V, K))).as(host.output()).isZero();
    String first = host.output();
    assertThat(first.lines().filter(l -> l.startsWith("jdkms: ")))
        .hasSize(2)
        .first(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .matches("jdkms: " + M + "/1\\.0 \\(" + K + "\\): make, \\d+s elapsed");
    assertThat(first)
        .containsPattern("(?m)^jdkms: " + M + "/1\\.0 \\(" + K + "\\): built after \\d+s$");
    // take the jdkms lines away and upstream's console is left, in its order
    assertThat(withoutJdkmsLines(first)).isEqualTo(upstreamBuild());

    assertThat(host.dkms("build", module(M, V, K).andThen(r -> r.force = true))).isZero();
    assertThat(host.output())
        .containsPattern(
            "(?m)^jdkms: " + M + "/1\\.0 \\(" + K + "\\): make, \\d+s elapsed, about \\d+s left$");
  }

  @Test
  void installOnATerminalSaysTheInstallAfterTheBuildAndElsewhereNothing() throws IOException {
    stdout("socket:[77]");
    assertThat(host.dkms("install", module(M, V, K))).as(host.output()).isZero();
    String upstream = host.output();
    assertThat(upstream)
        .isEqualTo(
            upstreamBuild()
                + "Installing "
                + lib.resolve("updates/dkms/" + M + ".ko")
                + "\nRunning depmod... done.\n");

    // another kernel: built before for K, so the time left is known
    Path lib2 = host.kernel(K2);
    Files.createDirectories(lib2.resolve("build/include"));
    stdout("/dev/tty1");
    assertThat(host.dkms("install", module(M, V, K2))).as(host.output()).isZero();
    String unit = "jdkms: " + M + "/1\\.0 \\(" + K2 + "\\): ";
    assertThat(host.output().lines().filter(l -> l.startsWith("jdkms: ")))
        .satisfiesExactly(
            l -> assertThat(l).matches(unit + "make, \\d+s elapsed, about \\d+s left"),
            l -> assertThat(l).matches(unit + "install, \\d+s elapsed, about 0s left"),
            l -> assertThat(l).matches(unit + "installed after \\d+s"));
    assertThat(withoutJdkmsLines(host.output())).isEqualTo(upstream.replace(K, K2));
    // the install line comes right before upstream's first install line
    assertThat(host.output()).containsPattern("(?m)^" + unit + "install, .*\\nInstalling ");
  }

  private static String withoutJdkmsLines(String s) {
    StringBuilder b = new StringBuilder();
    s.lines().filter(l -> !l.startsWith("jdkms: ")).forEach(l -> b.append(l).append('\n'));
    return b.toString();
  }
}
