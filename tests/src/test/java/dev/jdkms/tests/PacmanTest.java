package dev.jdkms.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jdkms.tests.harness.DkmsSandboxExtension;
import dev.jdkms.tests.harness.DkmsUnderTest;
import dev.jdkms.tests.harness.Kernels;
import dev.jdkms.tests.harness.PacmanPackages;
import dev.jdkms.tests.harness.Result;
import dev.jdkms.tests.harness.Sandbox;
import dev.jdkms.tests.harness.SandboxFamily;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The jdkms pacman package (pacman-hook) with Debian's real pacman 6.0.2 and its alpm hooks, in
 * sandboxes of the whole host: pacman runs with {@code --root /} (hook Exec lines run chrooted into
 * the root, so the root must hold the hooks' programs), an explicit {@code --hookdir} (otherwise
 * pacman reads the host's /etc/pacman.d/hooks) and a database, cache and log of its own under
 * /var/tmp/pacman. The database starts empty; {@code host-base} stands in for the host's own tools
 * (see {@link PacmanPackages}). Kernels are the host's two newest Debian headers repackaged in
 * Arch's layout; the host's own /usr/lib/modules/K links are removed inside the sandbox so that the
 * {@code linux} packages own those paths.
 *
 * <p>A spy hook (sandbox only) records what alpm passes on stdin, per operation, in
 * /var/tmp/alpm-targets.log; a stand-in {@code 90-mkinitcpio-install.hook} records which modules an
 * initramfs generator's hook would find in /var/tmp/initramfs-saw.log.
 */
class PacmanTest {
  private static final String PAC = "/usr/local/bin/pac";
  private static final String TARGETS =
      "Target = usr/lib/modules/*/vmlinuz\n"
          + "Target = usr/lib/modules/*/build/include/\n"
          + "Target = usr/lib/modules/*/modules.order\n"
          + "Target = usr/src/*/dkms.conf\n";

  private static SandboxFamily family;
  private static Sandbox bare;
  private static Sandbox template;
  private static Result jdkmsInstall;
  private static String k0;
  private static String k1;
  private static Path jdkms;
  private static Path linux0;
  private static Path headers0;
  private static Path linux1;
  private static Path headers1;
  private static Path hello;
  private static Path helloRel2;
  private static Path hello20;
  private static Path hello2;
  private static Path broken;
  private static Path jre;
  private static Path exclusive;

  @BeforeAll
  static void pacmanWithHostBaseThenJdkms() throws IOException {
    assumeTrue(DkmsUnderTest.isJdkms(), "tests the jdkms pacman package, not a dkms");
    DkmsSandboxExtension.requireRoot();
    List<String> ks = Kernels.newest(2);
    k0 = ks.get(0);
    k1 = ks.get(1);
    PacmanPackages p = new PacmanPackages();
    jdkms = PacmanPackages.jdkms();
    Path hostBase = p.hostBase();
    linux0 = p.linux(k0, 1);
    headers0 = p.linuxHeaders(k0, 1);
    linux1 = p.linux(k1, 1);
    headers1 = p.linuxHeaders(k1, 1);
    hello = p.module("jdkms_hello-1.0", "jdkms_hello", "1.0", 1, "");
    helloRel2 = p.module("jdkms_hello-1.0", "jdkms_hello", "1.0", 2, "# pkgrel 2\n");
    hello20 = p.module("jdkms_hello-1.0", "jdkms_hello", "2.0", 1, "");
    hello2 = p.module("jdkms_hello-1.0", "hello2", "1.0-rc1", 1, "");
    broken = p.module("jdkms_broken-1.0", "jdkms_broken", "1.0", 1, "");
    jre = p.javaRuntime(newestJava());
    exclusive = p.module("dkms_jd_exclusive_test-1.0", "dkms_jd_exclusive_test", "1.0", 1, "");

    family = SandboxFamily.create("PacmanTest");
    bare = family.sandbox("bare");
    bare.sh(setUpScript()).requireSuccess();
    pac(bare, "-U", hostBase.toString()).requireSuccess();
    template = family.fork(bare, "template");
    jdkmsInstall = pac(template, "-U", jdkms.toString());
  }

  /** The host's Java with the highest release (the stand-in runtime wraps it). */
  private static Path newestJava() throws IOException {
    Path best = null;
    int bestVersion = 0;
    try (var homes = Files.list(Path.of("/usr/lib/jvm"))) {
      for (Path home : homes.sorted().toList()) {
        Path release = home.resolve("release");
        if (!Files.isExecutable(home.resolve("bin/java")) || !Files.isReadable(release)) {
          continue;
        }
        var m =
            java.util.regex.Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)")
                .matcher(Files.readString(release));
        if (m.find() && Integer.parseInt(m.group(1)) > bestVersion) {
          bestVersion = Integer.parseInt(m.group(1));
          best = home.resolve("bin/java").toRealPath();
        }
      }
    }
    assertThat(best).as("a JDK under /usr/lib/jvm").isNotNull();
    return best;
  }

  /** pacman's sandbox configuration, the {@code pac} wrapper and the spy hooks. */
  private static String setUpScript() {
    StringBuilder s = new StringBuilder();
    s.append("set -e\n")
        // The host's Debian headers links /usr/lib/modules/K/{build,source}: the linux packages
        // below own these paths (inside this sandbox only).
        .append("rm -rf /usr/lib/modules/*\n")
        .append("mkdir -p /var/tmp/pacman/db /var/tmp/pacman/cache /usr/share/libalpm/hooks\n")
        .append("cat > /var/tmp/pacman/pacman.conf <<'EOF'\n")
        .append("[options]\nArchitecture = auto\nSigLevel = Never\nLocalFileSigLevel = Never\n")
        .append("EOF\n")
        .append("cat > ")
        .append(PAC)
        .append(" <<'EOF'\n#!/bin/sh\n")
        .append("exec pacman --noconfirm --config /var/tmp/pacman/pacman.conf --root /")
        .append(" --dbpath /var/tmp/pacman/db --cachedir /var/tmp/pacman/cache")
        .append(" --logfile /var/tmp/pacman/pacman.log --hookdir /usr/share/libalpm/hooks \"$@\"\n")
        .append("EOF\n")
        .append("cat > /usr/local/bin/alpm-spy <<'EOF'\n#!/bin/sh\n")
        .append("while read -r p; do echo \"$1 $p\"; done >> /var/tmp/alpm-targets.log\n")
        .append("EOF\n")
        // Stands in for mkinitcpio's hook (same name and trigger): what modules would it see?
        .append("cat > /usr/local/bin/initramfs-spy <<'EOF'\n#!/bin/sh\n")
        .append("find /usr/lib/modules -name '*.ko' | sort > /var/tmp/initramfs-saw.log\n")
        .append("EOF\n")
        .append("cat > /usr/share/libalpm/hooks/90-mkinitcpio-install.hook <<'EOF'\n")
        .append("[Trigger]\nType = Path\nOperation = Install\nOperation = Upgrade\n")
        .append("Target = usr/lib/modules/*/vmlinuz\n\n[Action]\nWhen = PostTransaction\n")
        .append("Exec = /usr/local/bin/initramfs-spy\nEOF\n")
        // Counts depmod runs (first on PATH, then the real one).
        .append("cat > /usr/local/sbin/depmod <<'EOF'\n#!/bin/sh\n")
        .append("echo \"depmod $*\" >> /var/tmp/depmod.log\nexec /usr/sbin/depmod \"$@\"\n")
        .append("EOF\n")
        .append("chmod 755 ")
        .append(PAC)
        .append(" /usr/local/bin/alpm-spy /usr/local/bin/initramfs-spy /usr/local/sbin/depmod\n");
    for (String[] op :
        List.of(
            new String[] {"install", "Install", "PostTransaction"},
            new String[] {"upgrade", "Upgrade", "PostTransaction"},
            new String[] {"remove", "Remove", "PreTransaction"})) {
      s.append("cat > /usr/share/libalpm/hooks/00-spy-")
          .append(op[0])
          .append(".hook <<'EOF'\n[Trigger]\nType = Path\nOperation = ")
          .append(op[1])
          .append('\n')
          .append(TARGETS)
          .append("\n[Action]\nWhen = ")
          .append(op[2])
          .append("\nExec = /usr/local/bin/alpm-spy ")
          .append(op[0])
          .append("\nNeedsTargets\nEOF\n");
    }
    return s.toString();
  }

  @AfterAll
  static void cleanUp() {
    if (family != null) {
      family.close();
    }
  }

  private static Sandbox fork(Sandbox from, String name) {
    return family.fork(from, name);
  }

  private static Result pac(Sandbox sb, String... args) {
    List<String> cmd = new ArrayList<>(List.of(PAC));
    cmd.addAll(List.of(args));
    return sb.run(cmd);
  }

  private static Result install(Sandbox sb, Path... packages) {
    List<String> args = new ArrayList<>(List.of("-U"));
    for (Path p : packages) {
      args.add(p.toString());
    }
    Result r = pac(sb, args.toArray(new String[0]));
    assertThat(r.exitCode()).as(r.describe()).isZero();
    return r;
  }

  private static long builds(Result r) {
    return r.stdoutLines().stream().filter(l -> l.startsWith("Building module")).count();
  }

  private static String installed(String mv, String k) {
    return mv + ", " + k + ", " + Kernels.arch() + ": installed";
  }

  private static List<String> status(Sandbox sb) {
    return sb.run("dkms", "status").requireSuccess().stdoutLines();
  }

  private static List<String> spied(Sandbox sb) {
    return sb.sh("cat /var/tmp/alpm-targets.log 2>/dev/null; rm -f /var/tmp/alpm-targets.log")
        .stdoutLines();
  }

  private static String ko(String k, String module) {
    return "/usr/lib/modules/" + k + "/updates/dkms/" + module + ".ko";
  }

  @Test
  void thePackageInstallsTheDropInItsHooksAndChoosesAJava() {
    assertThat(jdkmsInstall.exitCode()).as(jdkmsInstall.describe()).isZero();
    Result r =
        template.sh(
            PAC
                + " -Qi jdkms | grep -E '^(Provides|Conflicts With|Depends On)';"
                + PAC
                + " -Qkk jdkms; readlink /usr/bin/dkms; dkms --version;"
                + " ls /usr/share/libalpm/hooks/ | grep jdkms; test -d /var/lib/dkms && echo tree;"
                + " . /usr/lib/jdkms/lib/java.env && echo java-$JDKMS_JAVA_FEATURE");
    assertThat(r.exitCode()).as(r.describe()).isZero();
    assertThat(r.stdoutLines())
        .as(r.describe())
        .anyMatch(l -> l.matches("Provides +: dkms=3\\.4\\.3"))
        .anyMatch(l -> l.matches("Conflicts With +: dkms"))
        .anyMatch(l -> l.matches("Depends On +: java-runtime-headless>=17 .*gcc +make +kmod.*"))
        .anyMatch(l -> l.matches("jdkms: \\d+ total files, 0 altered files"))
        .contains(
            "../lib/jdkms/bin/dkms",
            "dkms-3.4.3",
            "60-jdkms-java.hook",
            "69-jdkms-remove.hook",
            "69-jdkms-upgrade.hook",
            "70-jdkms-install.hook",
            "tree")
        .anyMatch(l -> l.matches("java-(1[7-9]|[2-9][0-9])"));
  }

  @Test
  void jdkmsThenLinuxThenModule() {
    Sandbox sb = fork(template, "jlm");
    Result kernel = install(sb, linux0, headers0);
    assertThat(builds(kernel)).as(kernel.describe()).isZero();
    Result module = install(sb, hello);
    assertThat(builds(module)).as(module.describe()).isEqualTo(1);
    assertThat(status(sb)).containsExactly(installed("jdkms_hello/1.0", k0));
    assertThat(sb.exists(ko(k0, "jdkms_hello"))).isTrue();
    assertThat(spied(sb))
        .containsExactly(
            "install usr/lib/modules/" + k0 + "/build/include/",
            "install usr/lib/modules/" + k0 + "/modules.order",
            "install usr/lib/modules/" + k0 + "/vmlinuz",
            "install usr/src/jdkms_hello-1.0/dkms.conf");
  }

  @Test
  void moduleThenLinux() {
    Sandbox sb = fork(template, "ml");
    Result module = install(sb, hello);
    assertThat(builds(module)).as(module.describe()).isZero();
    assertThat(status(sb)).containsExactly("jdkms_hello/1.0: added");
    Result kernel = install(sb, linux0, headers0);
    assertThat(builds(kernel)).as(kernel.describe()).isEqualTo(1);
    assertThat(status(sb)).containsExactly(installed("jdkms_hello/1.0", k0));
    assertThat(sb.exists(ko(k0, "jdkms_hello"))).isTrue();
  }

  @Test
  void jdkmsKernelAndModulesInOneTransaction() {
    Sandbox sb = fork(bare, "one");
    Result r = install(sb, jdkms, linux0, headers0, hello, hello2);
    System.out.printf(
        "[pacman] pacman -U jdkms linux linux-headers jdkms_hello-dkms hello2-dkms: %d ms%n",
        r.elapsed().toMillis());
    assertThat(builds(r)).as(r.describe()).isEqualTo(2);
    assertThat(status(sb))
        .containsExactly(installed("hello2/1.0-rc1", k0), installed("jdkms_hello/1.0", k0));
    assertThat(sb.exists(ko(k0, "jdkms_hello"))).isTrue();
    assertThat(sb.exists(ko(k0, "hello2"))).isTrue();
  }

  @Test
  void aKernelAndTwoModulesInOneTransactionOneOfThemWithAHyphenInItsVersion() {
    Sandbox sb = fork(template, "kmm");
    Result r = install(sb, linux0, headers0, hello, hello2);
    System.out.printf(
        "[pacman] pacman -U linux linux-headers jdkms_hello-dkms hello2-dkms (jdkms installed): %d ms%n",
        r.elapsed().toMillis());
    assertThat(builds(r)).as(r.describe()).isEqualTo(2);
    // Arch's hook splits /usr/src/hello2-1.0-rc1 at the last hyphen (hello2-1.0, rc1).
    assertThat(status(sb))
        .containsExactly(installed("hello2/1.0-rc1", k0), installed("jdkms_hello/1.0", k0));
    assertThat(sb.exists(ko(k0, "hello2"))).isTrue();
    assertThat(spied(sb)).contains("install usr/src/hello2-1.0-rc1/dkms.conf");
    // One depmod for the kernel, not one per module.
    assertThat(sb.readFile("/var/tmp/depmod.log").lines())
        .singleElement()
        .asString()
        .startsWith("depmod -a " + k0);
    // The initramfs generator's hook (90-mkinitcpio-install.hook) ran after ours.
    assertThat(sb.readFile("/var/tmp/initramfs-saw.log").lines())
        .containsExactly(ko(k0, "hello2"), ko(k0, "jdkms_hello"));
  }

  @Test
  void upgradingLinuxToAnotherReleaseMovesTheModulesAndLeavesNothingOfTheOld() {
    Sandbox sb = fork(template, "up");
    install(sb, linux0, headers0, hello);
    spied(sb);
    Result r = install(sb, linux1, headers1);
    assertThat(builds(r)).as(r.describe()).isEqualTo(1);
    assertThat(status(sb)).containsExactly(installed("jdkms_hello/1.0", k1));
    assertThat(sb.exists(ko(k1, "jdkms_hello"))).isTrue();
    // The old kernel's directory went with its package: nothing of ours kept it.
    assertThat(sb.exists("/usr/lib/modules/" + k0)).isFalse();
    Result tree = sb.sh("find /var/lib/dkms");
    assertThat(tree.stdoutLines()).as(tree.describe()).noneMatch(l -> l.contains(k0));
    // alpm: the old kernel's files are removed (before), the new one's installed (after).
    assertThat(spied(sb))
        .contains(
            "remove usr/lib/modules/" + k0 + "/vmlinuz",
            "install usr/lib/modules/" + k1 + "/vmlinuz")
        .noneMatch(l -> l.startsWith("upgrade "));
  }

  @Test
  void removingModulePackagesLeavesNothingOfThem() {
    Sandbox sb = fork(template, "rm");
    install(sb, linux0, headers0, hello, hello2);
    Result r = pac(sb, "-R", "jdkms_hello-dkms", "hello2-dkms");
    assertThat(r.exitCode()).as(r.describe()).isZero();
    assertThat(status(sb)).isEmpty();
    Result left =
        sb.sh(
            "find /usr/lib/modules /var/lib/dkms /usr/src -name 'jdkms_hello*' -o -name 'hello2*'");
    assertThat(left.stdoutLines()).as(left.describe()).isEmpty();
    assertThat(spied(sb))
        .contains(
            "remove usr/src/hello2-1.0-rc1/dkms.conf", "remove usr/src/jdkms_hello-1.0/dkms.conf");
  }

  @Test
  void aModuleThatFailsToBuildNeverFailsTheTransactionAndIsReportedAsAnError() {
    Sandbox sb = fork(template, "broken");
    install(sb, linux0, headers0, hello);
    Result r = pac(sb, "-U", broken.toString());
    assertThat(r.exitCode()).as(r.describe()).isZero();
    assertThat(r.outputLines())
        .as(r.describe())
        .anyMatch(
            l ->
                l.matches(
                    "==> ERROR: jdkms_broken/1\\.0 for kernel "
                        + k0.replace(".", "\\.")
                        + ": build failed \\(exit 10\\);"
                        + " log: /var/lib/dkms/jdkms_broken/1\\.0/\\.logs/make\\.log\\.[0-9]+"))
        .noneMatch(l -> l.startsWith("error: command failed to execute correctly"));
    assertThat(pac(sb, "-Q", "jdkms_broken-dkms").exitCode()).isZero();
    assertThat(status(sb))
        .containsExactly("jdkms_broken/1.0: added", installed("jdkms_hello/1.0", k0));
  }

  @Test
  void upgradesInPlaceRebuildAndAnotherVersionReplacesTheOld() {
    Sandbox sb = fork(template, "inplace");
    install(sb, linux0, headers0, hello);
    spied(sb);
    // The same module version again (a new pkgrel): alpm calls its dkms.conf "upgraded".
    Result rel = install(sb, helloRel2);
    assertThat(spied(sb))
        .contains("upgrade usr/src/jdkms_hello-1.0/dkms.conf")
        .noneMatch(l -> l.startsWith("install ") || l.startsWith("remove "));
    assertThat(builds(rel)).as(rel.describe()).isEqualTo(1);
    assertThat(status(sb)).containsExactly(installed("jdkms_hello/1.0", k0));
    // The same kernel release again: rebuilt for it.
    Result kernel = install(sb, linux0, headers0);
    assertThat(spied(sb)).contains("upgrade usr/lib/modules/" + k0 + "/vmlinuz");
    assertThat(builds(kernel)).as(kernel.describe()).isEqualTo(1);
    assertThat(status(sb)).containsExactly(installed("jdkms_hello/1.0", k0));
    // Another version: the old one is removed before its files go, the new one built.
    Result v2 = install(sb, hello20);
    assertThat(spied(sb))
        .contains(
            "remove usr/src/jdkms_hello-1.0/dkms.conf",
            "install usr/src/jdkms_hello-2.0/dkms.conf");
    assertThat(builds(v2)).as(v2.describe()).isEqualTo(1);
    assertThat(status(sb)).containsExactly(installed("jdkms_hello/2.0", k0));
    assertThat(sb.exists("/var/lib/dkms/jdkms_hello/1.0")).isFalse();
    assertThat(sb.exists("/var/lib/dkms/.jdkms-alpm-upgraded")).isFalse();
  }

  @Test
  void aKernelWithoutHeadersGetsItsModulesWhenTheHeadersCome() {
    Sandbox sb = fork(template, "headers");
    install(sb, hello);
    Result kernel = install(sb, linux0);
    assertThat(builds(kernel)).as(kernel.describe()).isZero();
    // Arch's hook reports "Missing K kernel headers" as an error here; the headers come later.
    assertThat(kernel.outputLines())
        .as(kernel.describe())
        .noneMatch(l -> l.startsWith("==> ERROR"));
    assertThat(status(sb)).containsExactly("jdkms_hello/1.0: added");
    spied(sb);
    Result headers = install(sb, headers0);
    assertThat(builds(headers)).as(headers.describe()).isEqualTo(1);
    assertThat(status(sb)).containsExactly(installed("jdkms_hello/1.0", k0));
    assertThat(spied(sb)).containsExactly("install usr/lib/modules/" + k0 + "/build/include/");
  }

  @Test
  void aJavaRuntimeThatComesOrGoesIsChosenAgain() {
    Sandbox sb = fork(template, "java");
    String env = "cat /usr/lib/jdkms/lib/java.env; dkms --version";
    Result before = sb.sh(env).requireSuccess();
    Result added = install(sb, jre);
    assertThat(added.stdoutLines())
        .as(added.describe())
        .contains("(1/1) Choosing the Java runtime for dkms (jdkms)...");
    Result with = sb.sh(env);
    assertThat(with.stdoutLines())
        .as(with.describe())
        .containsExactly(
            "JDKMS_JAVA='/usr/lib/jvm/jdkms-test-jre/bin/java'",
            "JDKMS_JAVA_FEATURE=99",
            "dkms-3.4.3");
    Result removed = pac(sb, "-R", "jdkms-test-jre");
    assertThat(removed.exitCode()).as(removed.describe()).isZero();
    Result after = sb.sh(env);
    assertThat(after.stdoutLines()).as(after.describe()).isEqualTo(before.stdoutLines());
  }

  @Test
  void aSystemUpgradeOfKernelAndModuleBuildsTheNewVersionForTheNewKernelOnce() {
    Sandbox sb = fork(template, "syu");
    install(sb, linux0, headers0, hello);
    spied(sb);
    Result r = install(sb, linux1, headers1, hello20);
    assertThat(builds(r)).as(r.describe()).isEqualTo(1);
    // One plan for the whole transaction: removals and installs together, after pacman's work.
    assertThat(r.stdoutLines()).as(r.describe()).containsOnlyOnce("jdkms transaction:");
    assertThat(r.stdoutLines())
        .as(r.describe())
        .contains(
            "Autoinstall of module jdkms_hello/2.0 for kernel " + k1 + " (" + Kernels.arch() + ")");
    assertThat(status(sb)).containsExactly(installed("jdkms_hello/2.0", k1));
    assertThat(sb.exists("/usr/lib/modules/" + k0)).isFalse();
    assertThat(sb.exists("/var/lib/dkms/jdkms_hello/1.0")).isFalse();
    assertThat(spied(sb))
        .contains(
            "remove usr/lib/modules/" + k0 + "/vmlinuz",
            "remove usr/src/jdkms_hello-1.0/dkms.conf",
            "install usr/lib/modules/" + k1 + "/build/include/",
            "install usr/src/jdkms_hello-2.0/dkms.conf");
  }

  @Test
  void buildExclusiveOfAnyKindIsASkipNotAnError() {
    // Arch's hook reads only BUILD_EXCLUSIVE_KERNEL; this module says BUILD_EXCLUSIVE_ARCH.
    Sandbox sb = fork(template, "exclusive");
    Result r = install(sb, linux0, headers0, exclusive);
    assertThat(builds(r)).as(r.describe()).isZero();
    assertThat(r.outputLines()).as(r.describe()).noneMatch(l -> l.startsWith("==> ERROR"));
    assertThat(status(sb)).containsExactly("dkms_jd_exclusive_test/1.0: added");
  }
}
