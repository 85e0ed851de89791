package dev.jdkms.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jdkms.tests.harness.DkmsTest;
import dev.jdkms.tests.harness.DkmsUnderTest;
import dev.jdkms.tests.harness.Kernels;
import dev.jdkms.tests.harness.Repo;
import dev.jdkms.tests.harness.Result;
import dev.jdkms.tests.harness.Sandbox;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One plan per kernel transaction ({@code jdkms transaction}, the engine the package-manager hooks
 * share): parallel builds for several modules and kernels, failures that stop nothing else, kill -9
 * at random points, and two jdkms processes at once. jdkms-only (upstream has no transactions).
 */
@DkmsTest
class TransactionTest {
  private static final String JDKMS = "/usr/lib/jdkms/bin/jdkms";

  @BeforeEach
  void onlyJdkms() {
    assumeTrue(DkmsUnderTest.isJdkms(), "jdkms-only behaviour");
  }

  /** The jdkms launcher beside the installed dkms one, and modules made from the hello fixture. */
  private static void setUp(Sandbox sb, String... modules) {
    StringBuilder s = new StringBuilder();
    s.append("install -m 755 '")
        .append(Repo.root().resolve("dkms-cli/src/main/dist/bin/jdkms"))
        .append("' ")
        .append(JDKMS)
        .append('\n');
    for (String m : modules) {
      String[] nameDeps = m.split(":");
      String name = nameDeps[0];
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
          .append("-1.0/Makefile\n");
      if (nameDeps.length > 1) {
        s.append("echo 'BUILD_DEPENDS=\"")
            .append(nameDeps[1].replace(',', ' '))
            .append("\"' >> /usr/src/")
            .append(name)
            .append("-1.0/dkms.conf\n");
      }
      s.append("dkms add ").append(name).append("/1.0 > /dev/null\n");
    }
    sb.sh(s.toString()).requireSuccess();
  }

  private static void addBroken(Sandbox sb) {
    sb.addFixture("jdkms_broken-1.0", "/usr/src");
    sb.sh(
            "grep -q AUTOINSTALL /usr/src/jdkms_broken-1.0/dkms.conf"
                + " || echo 'AUTOINSTALL=\"yes\"' >> /usr/src/jdkms_broken-1.0/dkms.conf")
        .requireSuccess();
  }

  /** One transaction, two jobs, that adds both kernels. */
  private static Result bothKernelsAdded(Sandbox sb, List<String> k) {
    return sb.run(
        JDKMS, "transaction", "-j", "2", "--kernel-added", k.get(0), "--kernel-added", k.get(1));
  }

  private static List<String> installedLines(List<String> modules, List<String> kernels) {
    List<String> out = new ArrayList<>();
    for (String m : modules) {
      for (String k : kernels) {
        out.add(m + "/1.0, " + k + ", " + Kernels.arch() + ": installed");
      }
    }
    return out;
  }

  private static List<String> autoinstallLines(Result r) {
    return r.stdoutLines().stream().filter(l -> l.startsWith("Autoinstall of module")).toList();
  }

  @Test
  void severalModulesForTwoKernelsBuildInParallelAndInstallInUpstreamsOrder(Sandbox sb) {
    List<String> k = Kernels.newest(2);
    setUp(sb, "alpha", "gamma:alpha", "beta", "delta");
    Result r = bothKernelsAdded(sb, k);
    assertThat(r.exitCode()).as(r.describe()).isZero();
    List<String> expected = new ArrayList<>();
    for (String kernel : k) {
      for (String m : List.of("alpha", "beta", "delta", "gamma")) {
        expected.add(
            "Autoinstall of module "
                + m
                + "/1.0 for kernel "
                + kernel
                + " ("
                + Kernels.arch()
                + ")");
      }
    }
    assertThat(autoinstallLines(r)).as(r.describe()).isEqualTo(expected);
    // Each module's block is contiguous even though the builds ran side by side (progress dots
    // depend on timing and are left out).
    List<String> out = r.stdoutLines().stream().map(l -> l.replaceAll("\\.{3,}", "...")).toList();
    // The MOK key is made once, by the first kernel's preparation, as one kernel after another.
    assertThat(out.stream().filter(l -> l.startsWith("Certificate or key are missing")))
        .as(r.describe())
        .hasSize(1);
    for (String m : List.of("alpha", "beta", "delta", "gamma")) {
      int at =
          out.indexOf(
              "Autoinstall of module "
                  + m
                  + "/1.0 for kernel "
                  + k.get(1)
                  + " ("
                  + Kernels.arch()
                  + ")");
      assertThat(out.subList(at + 1, at + 5))
          .as(r.describe())
          .containsExactly(
              "Building module(s)... done.",
              "Signing module /var/lib/dkms/" + m + "/1.0/build/" + m + ".ko",
              "Installing /lib/modules/" + k.get(1) + "/updates/dkms/" + m + ".ko",
              "Running depmod... done.");
    }
    assertThat(sb.run("dkms", "status").stdoutLines())
        .containsExactlyElementsOf(installedLines(List.of("alpha", "beta", "delta", "gamma"), k));
    for (String kernel : k) {
      assertThat(sb.exists("/lib/modules/" + kernel + "/updates/dkms/gamma.ko")).isTrue();
    }
    // Replaying the same events finds the work done.
    Result again =
        sb.run(JDKMS, "transaction", "--kernel-added", k.get(0), "--kernel-added", k.get(1));
    assertThat(again.exitCode()).as(again.describe()).isZero();
    assertThat(again.stdout()).as(again.describe()).isEmpty();
  }

  @Test
  void aFailingModuleNeverStopsTheOthersAndKeepsEveryLog(Sandbox sb) {
    List<String> k = Kernels.newest(2);
    setUp(sb, "alpha", "gamma:alpha");
    addBroken(sb);
    Result r =
        sb.run(
            JDKMS,
            "transaction",
            "--module-added",
            "jdkms_broken/1.0",
            "--kernel-added",
            k.get(0),
            "--kernel-added",
            k.get(1));
    assertThat(r.exitCode()).as(r.describe()).isEqualTo(11);
    assertThat(sb.run("dkms", "status").stdoutLines())
        .containsExactlyElementsOf(
            concat(
                installedLines(List.of("alpha", "gamma"), k), List.of("jdkms_broken/1.0: added")));
    // The outcome: per module and kernel, the compiler's first error and the kept log.
    assertThat(r.stdout())
        .as(r.describe())
        .containsPattern("jdkms_broken/1.0 +" + k.get(0) + " +build failed \\(exit 10\\)")
        .containsPattern("alpha/1.0 +" + k.get(1) + " +installed")
        .containsPattern("\\| .*broken\\.c:[0-9]+:[0-9]+: error: ")
        .contains("log: /var/lib/dkms/jdkms_broken/1.0/.logs/make.log.1")
        .contains("log: /var/lib/dkms/jdkms_broken/1.0/.logs/make.log.2");
    // Upstream's own message still names build/make.log, which holds the last attempt.
    assertThat(r.stderr())
        .contains("Consult /var/lib/dkms/jdkms_broken/1.0/build/make.log for more information.");
    Result dkms = sb.run("dkms", "autoinstall", "-k", k.get(0));
    assertThat(dkms.exitCode()).as(dkms.describe()).isEqualTo(11);
    Result logs =
        sb.sh(
            "ls /var/lib/dkms/jdkms_broken/1.0/.logs; head -1 /var/lib/dkms/jdkms_broken/1.0/.logs/make.log.3");
    assertThat(logs.stdoutLines())
        .as(logs.describe())
        .containsExactly(
            "make.log.1",
            "make.log.2",
            "make.log.3",
            "DKMS (dkms-3.4.3) make.log for jdkms_broken/1.0 for kernel "
                + k.get(0)
                + " ("
                + Kernels.arch()
                + ")");
  }

  /**
   * A PRE_BUILD barrier: each build writes its kernel into {@code ./kernel}, waits (up to {@code
   * seconds}) until the builds for both kernels have reached it, then checks that its {@code
   * ./kernel} is still its own: builds that shared one directory would see the other's.
   */
  private static void addBarrier(Sandbox sb, String module, int seconds) {
    sb.sh(
            "cat > /usr/src/"
                + module
                + "-1.0/barrier.sh <<'EOF'\n"
                + "#!/bin/sh\n"
                + "echo \"$1\" > kernel; pwd > /var/tmp/pwd.$1; touch /var/tmp/reached.$1\n"
                + "i=0; while [ $(ls /var/tmp/reached.* | wc -l) -lt 2 ]; do\n"
                + "  i=$((i+1)); [ $i -gt "
                + seconds * 10
                + " ] && { touch /var/tmp/alone.$1; break; }; sleep 0.1\n"
                + "done\n"
                + "sleep 0.5; [ \"$(cat kernel)\" = \"$1\" ] || touch /var/tmp/clash.$1\n"
                + "EOF\n"
                + "chmod 755 /usr/src/"
                + module
                + "-1.0/barrier.sh\n"
                + "echo 'PRE_BUILD=\"barrier.sh $kernelver\"' >> /usr/src/"
                + module
                + "-1.0/dkms.conf")
        .requireSuccess();
  }

  @Test
  void oneModuleVersionBuildsForTwoKernelsAtOnceEachInADirectoryOfItsOwn(Sandbox sb) {
    List<String> k = Kernels.newest(2);
    setUp(sb, "alpha");
    addBarrier(sb, "alpha", 20);
    Result r = bothKernelsAdded(sb, k);
    assertThat(r.exitCode()).as(r.describe()).isZero();
    Result seen = sb.sh("cd /var/tmp && ls reached.* alone.* clash.* 2>/dev/null; cat pwd.*");
    assertThat(seen.stdoutLines())
        .as("both builds ran at once, each saw only its own files at the path dkms.conf names")
        .containsExactly(
            "reached." + k.get(0),
            "reached." + k.get(1),
            "/var/lib/dkms/alpha/1.0/build",
            "/var/lib/dkms/alpha/1.0/build");
    assertThat(sb.run("dkms", "status").stdoutLines())
        .containsExactlyElementsOf(installedLines(List.of("alpha"), k));
    for (String kernel : k) {
      Result v =
          sb.run("modinfo", "-F", "vermagic", "/lib/modules/" + kernel + "/updates/dkms/alpha.ko");
      assertThat(v.stdout()).as(v.describe()).startsWith(kernel + " ");
    }
    // The messages name the path the build saw, and nothing of the private areas is left.
    assertThat(r.stdout())
        .contains("Signing module /var/lib/dkms/alpha/1.0/build/alpha.ko")
        .doesNotContain(".build-");
    Result left = sb.sh("ls -A /var/lib/dkms/alpha/1.0");
    assertThat(left.stdoutLines())
        .as(left.describe())
        .containsExactlyInAnyOrder(".dkms.conf", k.get(0), k.get(1), "source");
  }

  @Test
  void withPrivateBuildsOffTheBuildsOfOneVersionTakeTurns(Sandbox sb) {
    List<String> k = Kernels.newest(2);
    setUp(sb, "alpha");
    addBarrier(sb, "alpha", 3);
    Result r = bothKernelsAdded(sb.withEnv("JDKMS_PRIVATE_BUILDS", "no"), k);
    assertThat(r.exitCode()).as(r.describe()).isZero();
    Result seen = sb.sh("cd /var/tmp && ls alone.* clash.* 2>/dev/null");
    assertThat(seen.stdoutLines()).as("the first build waited alone").hasSize(1);
    assertThat(seen.stdoutLines().get(0)).startsWith("alone.");
    assertThat(sb.run("dkms", "status").stdoutLines())
        .containsExactlyElementsOf(installedLines(List.of("alpha"), k));
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  @Test
  void killNineAtRandomPointsNeverBreaksStatusAndTheSameEventsConverge(Sandbox sb) {
    List<String> k = Kernels.newest(2);
    setUp(sb, "alpha", "gamma:alpha", "beta");
    sb.sh(
            "cp -a /usr/src/beta-1.0 /usr/src/omega-1.0 && sed -i 's/beta/omega/g' /usr/src/omega-1.0/*")
        .requireSuccess();
    String events =
        "--kernel-added " + k.get(0) + " --kernel-added " + k.get(1) + " --module-added omega/1.0";
    // Every 5th round upgrades the first kernel in place (teardowns), every 7th removes omega.
    String script =
        "RANDOM=42; kills=0; i=0\n"
            // until 55 kills landed (a run that finished before its kill does not count)
            + "while (( kills < 55 && i < 150 )); do i=$((i+1))\n"
            + "  ev='"
            + events
            + "'\n"
            + "  (( i % 5 == 0 )) && ev=\"$ev --kernel-upgraded "
            + k.get(0)
            + "\"\n"
            + "  (( i % 7 == 0 )) && ev='--module-removed omega/1.0'\n"
            + "  setsid "
            + JDKMS
            + " transaction -j 2 $ev > /tmp/tx.log 2>&1 & pid=$!\n"
            + "  sleep $(( RANDOM % 1600 / 1000 )).$(printf %03d $(( RANDOM % 1000 )))\n"
            + "  if kill -9 -- -$pid 2>/dev/null; then kills=$((kills+1)); fi\n"
            + "  wait $pid 2>/dev/null\n"
            + "  dkms status > /tmp/st 2> /tmp/st.err; rc=$?\n"
            + "  if [ $rc != 0 ] || [ -s /tmp/st.err ]; then echo \"STATUS-ERROR $i rc=$rc\"; cat /tmp/st.err; fi\n"
            + "  grep -E 'broken|Differences|missing' /tmp/st && echo \"BAD-STATE $i\"\n"
            + "  while IFS= read -r line; do\n"
            + "    case $line in *': installed') ;; *) continue ;; esac\n"
            + "    mv=${line%%,*}; m=${mv%/*}; rest=${line#*, }; kv=${rest%%,*}\n"
            + "    [ -e /lib/modules/$kv/updates/dkms/$m.ko ] || echo \"HALF-INSTALLED $i $line\"\n"
            + "  done < /tmp/st\n"
            + "done\n"
            + "echo kills=$kills\n";
    Result loop = sb.withTimeout(Duration.ofMinutes(6)).sh(script);
    assertThat(loop.exitCode()).as(loop.describe()).isZero();
    assertThat(loop.stdout())
        .as(loop.describe())
        .doesNotContain("STATUS-ERROR", "BAD-STATE", "HALF-INSTALLED");
    int kills =
        Integer.parseInt(
            loop.stdoutLines().stream()
                .filter(l -> l.startsWith("kills="))
                .findFirst()
                .orElseThrow()
                .substring(6));
    assertThat(kills).as(loop.describe()).isGreaterThanOrEqualTo(50);

    Result converge = sb.sh(JDKMS + " transaction -j 2 " + events);
    assertThat(converge.exitCode()).as(converge.describe()).isZero();
    assertThat(sb.run("dkms", "status").stdoutLines())
        .as(converge.describe())
        .containsExactlyElementsOf(installedLines(List.of("alpha", "beta", "gamma", "omega"), k));
    Result done = sb.sh(JDKMS + " transaction " + events);
    assertThat(done.stdout()).as(done.describe()).isEmpty();
    // Scratch directories of killed runs are gone (the next run removes them).
    Result leftovers = sb.sh("ls /tmp | grep -c '^jdkms-' || true");
    assertThat(leftovers.stdoutLines()).as(leftovers.describe()).containsExactly("0");
  }

  @Test
  void anInstallKilledBeforeItMarkedTheModuleInstalledIsRedoneNotRefused(Sandbox sb) {
    List<String> k = Kernels.newest(1);
    setUp(sb, "alpha");
    Result first = sb.run(JDKMS, "transaction", "--kernel-added", k.get(0));
    assertThat(first.exitCode()).as(first.describe()).isZero();
    // What a SIGKILL leaves between moving the module into /lib/modules and the kernel-K-A link
    // that marks it installed (the kill loop above hits this window now and then).
    sb.sh("rm /var/lib/dkms/alpha/kernel-" + k.get(0) + "-" + Kernels.arch()).requireSuccess();
    assertThat(sb.run("dkms", "status").stdoutLines())
        .containsExactly("alpha/1.0, " + k.get(0) + ", " + Kernels.arch() + ": built");
    Result again = sb.run(JDKMS, "transaction", "--kernel-added", k.get(0));
    assertThat(again.exitCode()).as(again.describe()).isZero();
    assertThat(again.stdout()).as(again.describe()).doesNotContain("already installed");
    assertThat(sb.run("dkms", "status").stdoutLines())
        .containsExactlyElementsOf(installedLines(List.of("alpha"), k));
    // The module it had moved into place is not taken for the kernel's original module.
    Result originals =
        sb.sh("find /var/lib/dkms/alpha -path '*original_module*' -name '*.ko*' | wc -l");
    assertThat(originals.stdoutLines()).as(originals.describe()).containsExactly("0");
  }

  @Test
  void twoProcessesAtOnceSerialiseAndTheLaterFindsTheWorkDone(Sandbox sb) {
    List<String> k = Kernels.newest(2);
    setUp(sb, "alpha", "beta");
    // alpha's PRE_BUILD holds the first process inside the lock until the second has started
    // waiting, so the test does not depend on how fast this machine builds.
    sb.sh(
            "printf '#!/bin/sh\\n[ -e /var/tmp/hold ] || exit 0\\ntouch /var/tmp/started\\nsleep 3\\n'"
                + " > /usr/src/alpha-1.0/hold.sh && chmod 755 /usr/src/alpha-1.0/hold.sh"
                + " && echo 'PRE_BUILD=hold.sh' >> /usr/src/alpha-1.0/dkms.conf && touch /var/tmp/hold")
        .requireSuccess();
    // The kernel-install plugin (a transaction) and the apt hook (dkms autoinstall) for one kernel.
    Result both =
        sb.sh(
            JDKMS
                + " transaction --kernel-added "
                + k.get(1)
                + " > /tmp/first.log 2>&1 & first=$!;"
                + " for i in $(seq 300); do [ -e /var/tmp/started ] && break; sleep 0.1; done; rm /var/tmp/hold;"
                + " dkms autoinstall -k "
                + k.get(1)
                + " > /tmp/second.log 2>&1; second=$?; wait $first; echo \"rc=$? $second\";"
                + " echo ==; cat /tmp/first.log; echo ==; cat /tmp/second.log");
    assertThat(both.stdoutLines()).as(both.describe()).contains("rc=0 0");
    String second = both.stdout().substring(both.stdout().lastIndexOf("==\n") + 3);
    assertThat(second)
        .as(both.describe())
        .isEqualTo(
            "jdkms: waiting for another dkms process to finish changing the DKMS tree (lock"
                + " /var/lib/dkms/.jdkms.lock)\n");
    assertThat(both.stdout().split("Building module\\(s\\)", -1)).as(both.describe()).hasSize(3);
    assertThat(sb.run("dkms", "status").stdoutLines())
        .containsExactlyElementsOf(installedLines(List.of("alpha", "beta"), List.of(k.get(1))));

    // Two transactions for both kernels at once: every module is built once per kernel.
    Result two =
        sb.sh(
            "for i in 1 2; do "
                + JDKMS
                + " transaction --kernel-added "
                + k.get(0)
                + " --kernel-added "
                + k.get(1)
                + " > /tmp/t$i.log 2>&1 & done; wait; cat /tmp/t1.log /tmp/t2.log");
    assertThat(two.exitCode()).as(two.describe()).isZero();
    assertThat(two.stdout().split("Building module\\(s\\)", -1)).as(two.describe()).hasSize(3);
    assertThat(sb.run("dkms", "status").stdoutLines())
        .containsExactlyElementsOf(installedLines(List.of("alpha", "beta"), k));
  }

  @Test
  void pathListsOfAPackageManagerBecomeEventsAndHyphenatedVersionsAreNamedByTheirDkmsConf(
      Sandbox sb) {
    List<String> k = Kernels.newest(2);
    setUp(sb);
    // A module whose name and version both hold hyphens: only its dkms.conf can tell them apart.
    sb.sh(
            "cp -a '"
                + Repo.fixture("jdkms_hello-1.0")
                + "' /usr/src/hello-x-1.0-rc1 && sed -i"
                + " -e 's/^PACKAGE_NAME=.*/PACKAGE_NAME=\"hello-x\"/'"
                + " -e 's/^PACKAGE_VERSION=.*/PACKAGE_VERSION=\"1.0-rc1\"/'"
                + " /usr/src/hello-x-1.0-rc1/dkms.conf")
        .requireSuccess();
    String list =
        "printf '%s\\n' usr/src/hello-x-1.0-rc1 usr/src/hello-x-1.0-rc1/dkms.conf"
            + " usr/src/hello-x-1.0-rc1/Makefile usr/lib/modules/"
            + k.get(1)
            + "/build/include/ usr/share/doc/x";
    Result added = sb.sh(list + " | " + JDKMS + " transaction --paths-installed -");
    assertThat(added.exitCode()).as(added.describe()).isZero();
    assertThat(added.stdout()).as(added.describe()).contains("Building module(s)");
    List<String> both =
        k.stream()
            .map(x -> "hello-x/1.0-rc1, " + x + ", " + Kernels.arch() + ": installed")
            .toList();
    assertThat(sb.run("dkms", "status").stdoutLines()).containsExactlyElementsOf(both);

    // The same source reinstalled (removed and installed in one transaction): rebuilt everywhere.
    sb.sh("echo usr/src/hello-x-1.0-rc1/dkms.conf > /var/tmp/l").requireSuccess();
    Result again =
        sb.run(
            JDKMS,
            "transaction",
            "--paths-removed",
            "/var/tmp/l",
            "--paths-installed",
            "/var/tmp/l");
    assertThat(again.exitCode()).as(again.describe()).isZero();
    assertThat(again.stdout().split("Building module\\(s\\)", -1)).as(again.describe()).hasSize(3);
    assertThat(sb.run("dkms", "status").stdoutLines()).containsExactlyElementsOf(both);

    // A kernel's files removed: its module goes; then the source's: nothing is left.
    Result kernelGone =
        sb.sh(
            "echo usr/lib/modules/"
                + k.get(0)
                + "/modules.order | "
                + JDKMS
                + " transaction --paths-removed -");
    assertThat(kernelGone.exitCode()).as(kernelGone.describe()).isZero();
    assertThat(sb.run("dkms", "status").stdoutLines()).containsExactly(both.get(1));
    Result gone = sb.run(JDKMS, "transaction", "--paths-removed", "/var/tmp/l");
    assertThat(gone.exitCode()).as(gone.describe()).isZero();
    assertThat(sb.run("dkms", "status").stdoutLines()).isEmpty();
    assertThat(sb.exists("/var/lib/dkms/hello-x")).isFalse();
    for (String x : k) {
      assertThat(sb.exists("/lib/modules/" + x + "/updates/dkms/jdkms_hello.ko")).isFalse();
    }

    // An unknown source is a note, not a failure.
    Result unknown =
        sb.sh("echo usr/src/nope-1/dkms.conf | " + JDKMS + " transaction --paths-removed -");
    assertThat(unknown.exitCode()).as(unknown.describe()).isZero();
    assertThat(unknown.stderr())
        .contains(
            "jdkms: note: /usr/src/nope-1: not a registered module source, nothing to remove");
  }

  @Test
  void aModuleWhoseSourceIsAlreadyGoneIsStillTornDownAndRemoved(Sandbox sb) {
    // rpm's %transfiletriggerpostun and a PostTransaction alpm hook run after the package's files
    // are gone: the copy of dkms.conf the build kept stands in for the source.
    List<String> k = Kernels.newest(2);
    setUp(sb, "alpha");
    Result built =
        sb.run(JDKMS, "transaction", "--kernel-added", k.get(0), "--kernel-added", k.get(1));
    assertThat(built.exitCode()).as(built.describe()).isZero();
    assertThat(sb.exists("/var/lib/dkms/alpha/1.0/.dkms.conf")).isTrue();
    sb.sh("rm -rf /usr/src/alpha-1.0").requireSuccess();
    assertThat(sb.run("dkms", "status").stdoutLines())
        .allMatch(l -> l.startsWith("alpha/1.0") && l.endsWith(": broken"));
    Result gone =
        sb.sh("echo usr/src/alpha-1.0/dkms.conf | " + JDKMS + " transaction --paths-removed -");
    assertThat(gone.exitCode()).as(gone.describe()).isZero();
    assertThat(sb.run("dkms", "status").stdoutLines()).as(gone.describe()).isEmpty();
    assertThat(sb.exists("/var/lib/dkms/alpha")).isFalse();
    for (String x : k) {
      assertThat(sb.exists("/lib/modules/" + x + "/updates/dkms/alpha.ko")).isFalse();
    }
  }
}
