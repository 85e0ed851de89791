package dev.jdkms.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jdkms.tests.harness.DkmsTest;
import dev.jdkms.tests.harness.DkmsUnderTest;
import dev.jdkms.tests.harness.Kernels;
import dev.jdkms.tests.harness.Result;
import dev.jdkms.tests.harness.Sandbox;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The drop-in {@code dkms} under a real pseudo-terminal ({@code script} from util-linux, with the
 * sandbox's own devpts): each build phase on a line of its own, no dots, and once the version was
 * built for another kernel the time left; the same command with its output in a pipe prints
 * upstream's lines only. jdkms-only (upstream prints dots wherever its output goes).
 */
@DkmsTest
class TerminalProgressTest {
  private static final String MV = "jdkms_hello/1.0";

  @BeforeEach
  void onlyJdkms() {
    assumeTrue(DkmsUnderTest.isJdkms(), "jdkms-only behaviour");
  }

  /** {@code dkms ARGS} with stdout and stderr on a terminal; what the terminal showed. */
  private static Result onTerminal(Sandbox sb, String args) {
    return sb.run("script", "-qec", "dkms " + args, "/dev/null");
  }

  /** The terminal's text as lines: the tty driver ends lines with CR LF. */
  private static List<String> screen(Result r) {
    return r.stdout().replace("\r\n", "\n").lines().toList();
  }

  private static Pattern unit(String kernel, String rest) {
    return Pattern.compile(Pattern.quote("jdkms: " + MV + " (" + kernel + "): ") + rest);
  }

  private static List<String> upstreamLines(List<String> lines) {
    return lines.stream()
        .filter(l -> !l.startsWith("jdkms: "))
        // a build of more than 3 s gets upstream's dots where no terminal shows the phases
        .map(
            l ->
                l.replaceFirst(
                    "^Building module\\(s\\)\\.\\.\\.+ done\\.$", "Building module(s)... done."))
        .collect(Collectors.toList());
  }

  @Test
  void aTerminalSeesOneLinePerPhaseAndTheTimeLeftAPipeSeesUpstreamsLines(Sandbox sb) {
    List<String> k = Kernels.newest(2);
    sb.addFixture("jdkms_hello-1.0", "/usr/src");
    // the MOK first, so that every build's console below has the same signing prologue
    sb.sh("dkms add " + MV + " >/dev/null && dkms generate_mok >/dev/null").requireSuccess();

    Result first = onTerminal(sb, "build " + MV + " -k " + k.get(0));
    assertThat(first.exitCode()).as(first.describe()).isZero();
    List<String> t1 = screen(first);
    System.out.println("[transcript] dkms build on a terminal:\n" + String.join("\n", t1));
    assertThat(t1)
        .as(first.describe())
        .contains("Building module(s)... done.")
        .anyMatch(l -> unit(k.get(0), "make, \\d+s elapsed").matcher(l).matches())
        .anyMatch(l -> unit(k.get(0), "sign, \\d+s elapsed").matcher(l).matches())
        .anyMatch(l -> unit(k.get(0), "built after \\d+s").matcher(l).matches())
        .noneMatch(l -> l.contains(" left"));
    // each phase line comes before the phase's own upstream line
    assertThat(String.join("\n", t1))
        .containsPattern(unit(k.get(0), "make, .*\nBuilding module\\(s\\)").pattern())
        .containsPattern(unit(k.get(0), "sign, .*\nSigning module ").pattern());

    Result second = onTerminal(sb, "install " + MV + " -k " + k.get(1));
    assertThat(second.exitCode()).as(second.describe()).isZero();
    List<String> t2 = screen(second);
    System.out.println("[transcript] dkms install on a terminal:\n" + String.join("\n", t2));
    assertThat(t2)
        .as(second.describe())
        .anyMatch(l -> unit(k.get(1), "make, \\d+s elapsed, about \\d+s left").matcher(l).matches())
        .anyMatch(l -> unit(k.get(1), "install, \\d+s elapsed, about 0s left").matcher(l).matches())
        .anyMatch(l -> unit(k.get(1), "installed after \\d+s").matcher(l).matches())
        .contains("Building module(s)... done.");

    // the same build once more, its output in a pipe: upstream's console, the record kept
    String arch = Kernels.arch();
    sb.run("dkms", "unbuild", MV, "-k", k.get(0)).requireSuccess();
    Result piped = sb.run("dkms", "build", MV, "-k", k.get(0));
    assertThat(piped.exitCode()).as(piped.describe()).isZero();
    assertThat(piped.outputLines())
        .as(piped.describe())
        .noneMatch(l -> l.startsWith("jdkms: ") || l.contains("elapsed"));
    assertThat(upstreamLines(piped.outputLines())).isEqualTo(upstreamLines(t1));
    String stats = "/var/lib/dkms/jdkms_hello/1.0/" + k.get(0) + "/" + arch + "/log/jdkms.stats";
    assertThat(sb.readFile(stats)).containsPattern("(?m)^make_ms=\\d+$");

    // dkms autoinstall (the engine, one kernel) on a terminal says its phases too
    sb.run("dkms", "unbuild", MV, "-k", k.get(0)).requireSuccess();
    Result auto = onTerminal(sb, "autoinstall -k " + k.get(0));
    assertThat(auto.exitCode()).as(auto.describe()).isZero();
    assertThat(screen(auto))
        .as(auto.describe())
        .contains("Autoinstall of module " + MV + " for kernel " + k.get(0) + " (" + arch + ")")
        .anyMatch(l -> unit(k.get(0), "make, \\d+s elapsed, about \\d+s left").matcher(l).matches())
        .anyMatch(l -> unit(k.get(0), "installed after \\d+s").matcher(l).matches())
        .contains("Building module(s)... done.");
  }
}
