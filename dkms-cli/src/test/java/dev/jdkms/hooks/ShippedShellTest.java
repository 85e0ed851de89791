package dev.jdkms.hooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every shell file the .deb, the rpm and the pacman package ship: its syntax (the shell it names),
 * shellcheck where it is installed, and the hook files package managers run are stubs of a few
 * lines (the hooks' policy is Java: jdkms hook HOST).
 */
class ShippedShellTest {
  private static final Path REPO = Path.of(System.getProperty("user.dir")).getParent();

  /** The files package managers run on every kernel or module change. */
  private static final List<String> HOOK_STUBS =
      List.of(
          "apt-hook/src/deb/root/etc/kernel/preinst.d/dkms",
          "apt-hook/src/deb/root/etc/kernel/postinst.d/dkms",
          "apt-hook/src/deb/root/etc/kernel/header_postinst.d/dkms",
          "apt-hook/src/deb/root/etc/kernel/prerm.d/dkms",
          "apt-hook/src/deb/root/etc/kernel/postrm.d/dkms",
          "apt-hook/src/deb/root/usr/lib/dkms/common.postinst",
          "kernel-install-plugin/src/main/dist/root/usr/lib/kernel/install.d/40-jdkms.install",
          "pacman-hook/src/main/alpm/scripts/jdkms");

  private static List<Path> shipped() throws IOException {
    List<Path> out = new ArrayList<>();
    for (String s : HOOK_STUBS) {
      out.add(REPO.resolve(s));
    }
    for (String s :
        List.of(
            "apt-hook/src/deb/root/usr/lib/jdkms/hooks/java-setup",
            "apt-hook/src/deb/control/postinst",
            "apt-hook/src/deb/control/prerm",
            "apt-hook/src/deb/control/postrm",
            "dkms-cli/src/main/dist/bin/dkms",
            "dkms-cli/src/main/dist/bin/jdkms",
            "dkms-cli/src/main/dist/lib/dkms_autoinstaller")) {
      out.add(REPO.resolve(s));
    }
    try (Stream<Path> s = Files.list(REPO.resolve("rpm-plugin/src/rpm/scripts"))) {
      s.sorted().forEach(out::add);
    }
    out.add(REPO.resolve("pacman-hook/src/main/alpm/jdkms.install"));
    return out;
  }

  /**
   * The shell a file names in its #! line; sh for the rpm and pacman scriptlets, which have none.
   */
  private static String shell(Path p) throws IOException {
    String first = Files.readAllLines(p, StandardCharsets.UTF_8).get(0);
    return first.startsWith("#!") && first.contains("bash") ? "bash" : "sh";
  }

  private static String run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return p.exitValue() == 0 ? "" : out.isEmpty() ? "exit " + p.exitValue() : out;
  }

  @Test
  void everyShippedShellFileParses() throws Exception {
    for (Path p : shipped()) {
      assertThat(run(shell(p), "-n", p.toString())).as(p.toString()).isEmpty();
    }
  }

  @Test
  void hookFilesAreStubsThatExecTheJavaEntryPoint() throws IOException {
    for (String s : HOOK_STUBS) {
      List<String> code =
          Files.readAllLines(REPO.resolve(s), StandardCharsets.UTF_8).stream()
              .filter(l -> !l.isBlank() && !l.startsWith("#"))
              .toList();
      assertThat(code).as(s).hasSizeLessThanOrEqualTo(2);
      assertThat(code.get(code.size() - 1))
          .as(s)
          .startsWith("exec /usr/lib/jdkms/bin/jdkms hook ")
          .endsWith(" \"$@\"");
    }
  }

  @Test
  void shellcheckFindsNothing() throws Exception {
    boolean installed =
        Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
            .anyMatch(d -> Files.isExecutable(Path.of(d, "shellcheck")));
    assumeTrue(installed, "shellcheck is not installed");
    for (Path p : shipped()) {
      assertThat(run("shellcheck", "-s", shell(p), p.toString())).as(p.toString()).isEmpty();
    }
  }
}
