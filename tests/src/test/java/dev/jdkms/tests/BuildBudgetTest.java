package dev.jdkms.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jdkms.tests.harness.DkmsTest;
import dev.jdkms.tests.harness.DkmsUnderTest;
import dev.jdkms.tests.harness.Kernels;
import dev.jdkms.tests.harness.Repo;
import dev.jdkms.tests.harness.Result;
import dev.jdkms.tests.harness.Sandbox;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine's memory budget and progress lines with real builds: {@code /proc/meminfo} inside the
 * sandbox is replaced by a fabricated one (a bind mount in the sandbox's own mount namespace, read
 * by jdkms through its host paths as on a real small machine), and a {@code make} wrapper first on
 * PATH logs when each build's make starts and ends, so the test sees how many ran at once.
 * jdkms-only (upstream builds one module at a time and has no transactions).
 */
@DkmsTest
class BuildBudgetTest {
  private static final String JDKMS = "/usr/lib/jdkms/bin/jdkms";
  private static final String MAKES = "/var/tmp/makes.log";

  /** Counts makes at their top level only: kbuild's sub-makes run through $(MAKE) again. */
  private static final String MAKE_WRAPPER =
      "#!/bin/sh\n"
          + "if [ -n \"$BUDGET_TEST_WRAPPED\" ]; then exec /usr/bin/make \"$@\"; fi\n"
          + "export BUDGET_TEST_WRAPPED=1\n"
          + "echo \"start $*\" >> "
          + MAKES
          + "\n"
          + "/usr/bin/make \"$@\"; rc=$?\n"
          + "echo \"end $*\" >> "
          + MAKES
          + "\n"
          + "exit $rc\n";

  @BeforeEach
  void onlyJdkms() {
    assumeTrue(DkmsUnderTest.isJdkms(), "jdkms-only behaviour");
  }

  /** Installs the checkout's jdkms launcher (the sandbox has the drop-in's). */
  private static String launcher() {
    return "install -m 755 '"
        + Repo.root().resolve("dkms-cli/src/main/dist/bin/jdkms")
        + "' "
        + JDKMS
        + "\n";
  }

  private static void setUp(Sandbox sb) {
    StringBuilder s = new StringBuilder(launcher());
    for (String name : List.of("alpha", "beta")) {
      s.append("cp -a '")
          .append(Repo.fixture("jdkms_hello-1.0"))
          .append("' /usr/src/")
          .append(name)
          .append("-1.0 && sed -i 's/jdkms_hello/")
          .append(name)
          .append("/g' /usr/src/")
          .append(name)
          .append("-1.0/dkms.conf /usr/src/")
          .append(name)
          .append("-1.0/Makefile\n")
          .append("dkms add ")
          .append(name)
          .append("/1.0 > /dev/null\n");
    }
    s.append("cat > /usr/local/bin/make <<'EOF'\n")
        .append(MAKE_WRAPPER)
        .append("EOF\nchmod 755 /usr/local/bin/make\n");
    sb.sh(s.toString()).requireSuccess();
  }

  /**
   * {@code jdkms transaction -j 2} adding {@code kernels}, with MemAvailable fabricated as {@code
   * availableKib} (0: the machine's own).
   */
  private static Result transaction(Sandbox sb, long availableKib, List<String> kernels) {
    StringBuilder s = new StringBuilder("rm -f " + MAKES + "\n");
    if (availableKib > 0) {
      s.append("printf 'MemTotal: 2000000 kB\\nMemFree: 100000 kB\\nMemAvailable: ")
          .append(availableKib)
          .append(" kB\\n' > /var/tmp/meminfo\n")
          .append("mount --bind /var/tmp/meminfo /proc/meminfo\n");
    }
    s.append("exec ").append(JDKMS).append(" transaction -j 2");
    kernels.forEach(k -> s.append(" --kernel-added ").append(k));
    return sb.sh(s.toString());
  }

  /** The most module makes ({@code make ... M=DIR}) that ran at once, and how many ran in all. */
  private static int[] makes(Sandbox sb) {
    int now = 0;
    int most = 0;
    int all = 0;
    for (String l : sb.readFile(MAKES).lines().toList()) {
      if (!l.contains(" M=")) {
        continue; // jdkms's own make -f - show-CC (which compiler the kernel was built with)
      }
      boolean start = l.startsWith("start");
      now += start ? 1 : -1;
      all += start ? 1 : 0;
      most = Math.max(most, now);
    }
    return new int[] {most, all};
  }

  private static long count(List<String> lines, String prefix) {
    return lines.stream().filter(l -> l.startsWith(prefix)).count();
  }

  @Test
  void withMemoryForOneBuildTheEngineBuildsOneAtATimeAndSaysSoOnce(Sandbox sb) {
    List<String> k = Kernels.newest(2);
    setUp(sb);
    Result r = transaction(sb, 700 * 1024, k);
    assertThat(r.exitCode()).as(r.describe()).isZero();
    assertThat(makes(sb)).as(sb.readFile(MAKES)).containsExactly(1, 4);
    assertThat(r.stderrLines())
        .as(r.describe())
        .containsOnlyOnce(
            "jdkms: 700 MiB of memory available (MemAvailable), less than 1024 MiB:"
                + " building one module at a time.");
    Result status = sb.run("dkms", "status");
    assertThat(status.stdoutLines())
        .as(status.describe())
        .hasSize(4)
        .allMatch(l -> l.endsWith(": installed"));
  }

  @Test
  void aModuleThatTookMuchMemoryBeforeWaitsForTheOtherAndProgressEstimatesTheTimeLeft(Sandbox sb) {
    List<String> k = Kernels.newest(2);
    setUp(sb);
    // The machine's own memory: both builds' makes run at once (the wrapper can see it).
    Result first = transaction(sb, 0, List.of(k.get(0)));
    assertThat(first.exitCode()).as(first.describe()).isZero();
    assertThat(makes(sb)).as(sb.readFile(MAKES)).containsExactly(2, 2);
    String unit = "alpha/1.0 (" + k.get(0) + ")";
    assertThat(first.stderrLines())
        .as(first.describe())
        .contains("jdkms: " + unit + ": make, 0s elapsed")
        .anyMatch(l -> l.matches(Pattern.quote("jdkms: " + unit + ": sign, ") + "\\d+s elapsed"))
        .anyMatch(l -> l.matches(Pattern.quote("jdkms: " + unit + ": installed after ") + "\\d+s"));
    // progress is jdkms's own: on stderr, never on upstream's stdout lines
    assertThat(first.stdoutLines()).noneMatch(l -> l.contains("elapsed"));
    String stats =
        "/var/lib/dkms/alpha/1.0/" + k.get(0) + "/" + Kernels.arch() + "/log/jdkms.stats";
    String record = sb.readFile(stats);
    Matcher peak = Pattern.compile("peak_rss_kib=(\\d+)").matcher(record);
    assertThat(peak.find()).as(record).isTrue();
    long peakKib = Long.parseLong(peak.group(1));
    System.out.println(
        "[measure] hello-sized module build, peak of its process tree: "
            + peakKib / 1024
            + " MiB; "
            + record.replace('\n', ' '));
    assertThat(peakKib).as(record).isBetween(1024L, 4L * 1024 * 1024);
    assertThat(record).containsPattern("(?m)^make_ms=\\d+$").containsPattern("(?m)^total_ms=\\d+$");

    // Say both needed 700 MiB (875 with the margin): with 1.5 GiB available only one fits.
    sb.sh(
            "sed -i 's/^peak_rss_kib=.*/peak_rss_kib=716800/' /var/lib/dkms/*/1.0/"
                + k.get(0)
                + "/*/log/jdkms.stats")
        .requireSuccess();
    Result second = transaction(sb, 1536 * 1024, List.of(k.get(1)));
    assertThat(second.exitCode()).as(second.describe()).isZero();
    assertThat(makes(sb)).as(sb.readFile(MAKES)).containsExactly(1, 2);
    assertThat(
            count(
                second.stderrLines(),
                "jdkms: beta/1.0 for "
                    + k.get(1)
                    + " waits for memory: it needs about 875 MiB, the builds under way hold 875 MiB,"
                    + " and builds may take 768 MiB together (half of the 1536 MiB available)."))
        .as(second.describe())
        .isEqualTo(1);
    // built before for the other kernel: the time left is estimated
    assertThat(second.stderrLines())
        .as(second.describe())
        .anyMatch(
            l ->
                l.matches(
                    Pattern.quote("jdkms: alpha/1.0 (" + k.get(1) + "): make, 0s elapsed, about ")
                        + "\\d+s left"));
  }

  /**
   * A job count on make's command line takes make out of the shared jobserver: NVIDIA's dkms.conf
   * runs {@code env ... make -jN}, ZFS's configure {@code make -jCPUS}. Two such builds side by
   * side (one module, two kernels, six files each) still compile at most the budget's two files at
   * once, counted by a sampler of the sandbox's cc1 processes; and a hook's builds say their phases
   * on lines of their own instead of rows of dots.
   */
  @Test
  void makesWithAJobCountOfTheirOwnStayInTheBudget(Sandbox sb) {
    List<String> k = Kernels.newest(2);
    StringBuilder s = new StringBuilder(launcher()).append("d=/usr/src/wide-1.0; mkdir -p $d\n");
    s.append("sed 's/jdkms_hello/wide/g' '")
        .append(Repo.fixture("jdkms_hello-1.0").resolve("hello.c"))
        .append("' > $d/a.c\n")
        .append("for f in b c d e f; do printf '#include <linux/module.h>\\n")
        .append("int wide_%s(void) { return THIS_MODULE != NULL; }\\n' $f > $d/$f.c; done\n")
        .append("printf 'obj-m := wide.o\\nwide-y := a.o b.o c.o d.o e.o f.o\\n' > $d/Makefile\n")
        .append("cat > $d/dkms.conf <<'EOF'\n")
        .append("PACKAGE_NAME=wide\nPACKAGE_VERSION=1.0\nBUILT_MODULE_NAME[0]=wide\n")
        .append("DEST_MODULE_LOCATION[0]=/updates\nAUTOINSTALL=yes\n")
        .append("MAKE[0]=\"env WIDE=1 make -j6 KERNELRELEASE=$kernelver -C $kernel_source_dir")
        .append(" M=$dkms_tree/$PACKAGE_NAME/$PACKAGE_VERSION/build\"\nEOF\n")
        .append("dkms add wide/1.0 > /dev/null\n")
        .append(
            "(while [ ! -e /var/tmp/stop ]; do pgrep -xc cc1 >> /var/tmp/cc1; sleep 0.05; done) &\n")
        .append(JDKMS)
        .append(" transaction -j 2");
    k.forEach(kernel -> s.append(" --kernel-added ").append(kernel));
    s.append("\nrc=$?; touch /var/tmp/stop; wait; exit $rc\n");
    Result r = sb.sh(s.toString());
    assertThat(r.exitCode()).as(r.describe()).isZero();
    List<Integer> samples =
        sb.readFile("/var/tmp/cc1").lines().map(String::strip).map(Integer::valueOf).toList();
    int most = samples.stream().max(Integer::compare).orElse(0);
    System.out.println("[measure] cc1 at once, two builds of make -j6 under -j 2: at most " + most);
    assertThat(most).as("compiles at once, sampled: " + samples).isBetween(1, 2);
    assertThat(r.stdoutLines())
        .as(r.describe())
        .contains("Building module(s)... done.")
        .noneMatch(l -> l.contains("...."));
    assertThat(r.stderrLines())
        .as(r.describe())
        .anyMatch(l -> l.startsWith("jdkms: wide/1.0 (" + k.get(1) + "): make, "));
    Result status = sb.run("dkms", "status", "wide");
    assertThat(status.stdoutLines())
        .as(status.describe())
        .hasSize(2)
        .allMatch(l -> l.endsWith(": installed"));
  }

  @Test
  void theDropInPrintsNoProgressLines(Sandbox sb) {
    List<String> k = Kernels.newest(1);
    setUp(sb);
    Result r = sb.run("dkms", "autoinstall", "-k", k.get(0));
    assertThat(r.exitCode()).as(r.describe()).isZero();
    assertThat(r.outputLines()).as(r.describe()).noneMatch(l -> l.contains("elapsed"));
    // the build record is kept all the same, for the engine's next estimate
    assertThat(
            sb.exists(
                "/var/lib/dkms/alpha/1.0/" + k.get(0) + "/" + Kernels.arch() + "/log/jdkms.stats"))
        .isTrue();
  }
}
