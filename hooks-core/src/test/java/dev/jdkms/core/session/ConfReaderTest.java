package dev.jdkms.core.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.jdkms.core.conf.DkmsConf;
import dev.jdkms.core.console.Console;
import dev.jdkms.core.exec.ChildEnvironment;
import dev.jdkms.core.host.HostPaths;
import dev.jdkms.core.kernel.Distribution;
import dev.jdkms.core.testutil.Sh;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfReaderTest {
  static final String K = "6.1.0-9-amd64";
  static final String A = "x86_64";

  @TempDir Path root;
  Path dkmsTree;
  Path sourceTree;
  Path installTree;
  Path etc;
  Path counter;
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();
  Session session;
  ConfReader reader;

  @BeforeEach
  void setUp() throws IOException {
    dkmsTree = Files.createDirectories(root.resolve("var/lib/dkms"));
    sourceTree = Files.createDirectories(root.resolve("usr/src"));
    installTree = Files.createDirectories(root.resolve("lib/modules"));
    etc = Files.createDirectories(root.resolve("etc/dkms"));
    counter = root.resolve("bash-runs");
    use(new DkmsRequest.Builder());
  }

  /** The session and reader for a command line with {@code request}'s options. */
  private void use(DkmsRequest.Builder request) {
    Map<String, String> settings = new HashMap<>();
    settings.put("dkms_tree", dkmsTree.toString());
    settings.put("source_tree", sourceTree.toString());
    settings.put("install_tree", installTree.toString());
    settings.put("tmp_location", root.resolve("tmp").toString());
    settings.put("parallel_jobs", "3");
    session =
        new Session(
            Console.of(out, err),
            ChildEnvironment.fromProcess(),
            new Distribution("debian"),
            settings,
            request.build(),
            "",
            HostPaths.under(root));
    reader = new ConfReader(session);
  }

  /** /usr/src/M-V/dkms.conf (counting each time bash sources it) and the tree's source link. */
  private Path added(String m, String v, String conf) throws IOException {
    Path src = Files.createDirectories(sourceTree.resolve(m + "-" + v));
    Files.writeString(src.resolve("dkms.conf"), "echo run >> '" + counter + "'\n" + conf);
    Path vd = Files.createDirectories(dkmsTree.resolve(m).resolve(v));
    Files.createSymbolicLink(vd.resolve("source"), src);
    return vd.resolve("source/dkms.conf");
  }

  private int bashRuns() throws IOException {
    return Files.exists(counter) ? Files.readAllLines(counter).size() : 0;
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  static final String VALID =
      "PACKAGE_NAME=m\nPACKAGE_VERSION=1\nBUILT_MODULE_NAME[0]=m\n"
          + "DEST_MODULE_LOCATION[0]=/kernel/extra\n";

  @Test
  void contextVariablesAsUpstreamSetsThem() throws Exception {
    added(
        "m",
        "1",
        VALID
            + "MAKE[0]=\"$kernelver|$arch|$kernel_source_dir|$kernel_config|$dkms_tree|$source_tree"
            + "|$install_tree|$tmp_location|$module|$module_version|$running_distribution"
            + "|$parallel_jobs\"\n");
    DkmsConf c = reader.read("m", "1", K, A, null);
    Path ksd = installTree.resolve(K).resolve("build");
    assertThat(c.makeCommand().split("\\|"))
        .containsExactly(
            K,
            A,
            ksd.toString(),
            ksd.resolve(".config").toString(),
            dkmsTree.toString(),
            sourceTree.toString(),
            installTree.toString(),
            root.resolve("tmp").toString(),
            "m",
            "1",
            "debian",
            "3");
  }

  @Test
  void kernelConfigIsAutoConfWhenPresentAndTheDefaultMakeUsesTheSourceDir() throws Exception {
    Path ksd = installTree.resolve(K).resolve("build");
    Files.createDirectories(ksd.resolve("include/config"));
    Files.writeString(ksd.resolve("include/config/auto.conf"), "CONFIG_X=y\n");
    added("m", "1", VALID + "PACKAGE_VERSION=\"$kernel_config\"\n");
    DkmsConf c = reader.read("m", "1", K, A, null);
    assertThat(c.packageVersion()).isEqualTo(ksd.resolve("include/config/auto.conf").toString());
    assertThat(c.makeCommand()).isEqualTo("make -C " + ksd + " M=" + dkmsTree.resolve("m/1/build"));
  }

  @Test
  void overridesAreSourcedInOrderOfSpecificity() throws Exception {
    added("m", "1", VALID + "MAKE[0]=\"make\"\n");
    // written in scrambled order; each appends its own name
    for (String n :
        List.of(
            "m--" + K + "-" + A,
            "m-1-" + K,
            "m",
            "m--" + K,
            "m-1-" + K + "-" + A,
            "m-1",
            // not for this module, version, kernel or arch
            "m-2",
            "m--6.2",
            "m-1-" + K + "-i686",
            "other")) {
      Files.writeString(etc.resolve(n + ".conf"), "MAKE[0]=\"${MAKE[0]} " + n + "\"\n");
    }
    DkmsConf c = reader.read("m", "1", K, A, null);
    assertThat(c.makeCommand())
        .isEqualTo(
            "make m m-1 m-1-" + K + " m-1-" + K + "-" + A + " m--" + K + " m--" + K + "-" + A);
  }

  @Test
  void anOverrideCanFixAnInvalidConf() throws Exception {
    added("m", "1", "PACKAGE_NAME=m\nBUILT_MODULE_NAME[0]=m\nDEST_MODULE_LOCATION[0]=/kernel\n");
    Files.writeString(etc.resolve("m.conf"), "PACKAGE_VERSION=1\n");
    assertThat(reader.read("m", "1", K, A, null).packageVersion()).isEqualTo("1");
  }

  @Test
  void aSecondIdenticalReadRunsNoBash() throws Exception {
    Path conf = added("m", "1", VALID);
    DkmsConf first = reader.read("m", "1", K, A, null);
    assertThat(bashRuns()).isEqualTo(1);
    assertThat(reader.read("m", "1", K, A, null)).isSameAs(first);
    // the same file through another path: the cache compares resolved paths
    assertThat(reader.read("m", "1", K, A, conf)).isSameAs(first);
    assertThat(new ConfReader(session).read("m", "1", K, A, null)).isSameAs(first);
    assertThat(bashRuns()).isEqualTo(1);

    // upstream's cache holds one entry, keyed by module/version/kernel/arch; behind it the
    // process's evaluation cache keeps every evaluation, so going back runs no bash either
    reader.read("m", "1", "6.2.0", A, null);
    assertThat(bashRuns()).isEqualTo(2);
    assertThat(reader.read("m", "1", K, A, null).packageName()).isEqualTo(first.packageName());
    assertThat(bashRuns()).isEqualTo(2);
    reader.read("m", "1", K, "i686", null);
    assertThat(bashRuns()).isEqualTo(3);
  }

  @Test
  void aSubshellDoesNotKeepItsCacheEntry() throws Exception {
    added("m", "1", VALID);
    reader.read("m", "1", K, A, null);
    session.subshell(() -> reader.read("m", "1", "6.2.0", A, null));
    assertThat(bashRuns()).isEqualTo(2);
    reader.read("m", "1", K, A, null);
    assertThat(bashRuns()).isEqualTo(2);
  }

  @Test
  void invalidConfsAreReportedOnEveryRead() throws Exception {
    added("m", "1", "PACKAGE_NAME=m\n");
    assertThat(reader.readConf("m", "1", K, A, dkmsTree.resolve("m/1/source/dkms.conf"), false))
        .isEmpty();
    String once = stderr();
    assertThat(once).isNotEmpty();
    assertThat(reader.readConf("m", "1", K, A, dkmsTree.resolve("m/1/source/dkms.conf"), false))
        .isEmpty();
    assertThat(stderr()).isEqualTo(once + once);
    assertThat(bashRuns()).as("the evaluation is kept, the verdict is not").isEqualTo(1);
  }

  @Test
  void strictReadsWarnAboutZeroModulesOnEveryCall() throws Exception {
    added("m", "1", "PACKAGE_NAME=m\nPACKAGE_VERSION=1\n");
    DkmsConf c = reader.readStrict("m", "1", K, A, null);
    assertThat(c.modules()).isEmpty();
    reader.readStrict("m", "1", K, A, null);
    reader.read("m", "1", K, A, null);
    assertThat(stderr())
        .isEqualTo(
            "dkms.conf: Warning! Zero modules specified.\n"
                + "dkms.conf: Warning! Zero modules specified.\n");
    assertThat(bashRuns()).isEqualTo(1);
  }

  @Test
  void strictDuplicatesAreABadConf() throws Exception {
    Path conf =
        added(
            "m",
            "1",
            "PACKAGE_NAME=m\nPACKAGE_VERSION=1\nBUILT_MODULE_NAME=(a a)\n"
                + "DEST_MODULE_LOCATION=(/kernel /kernel)\n");
    DkmsException e =
        catchThrowableOfType(DkmsException.class, () -> reader.readStrict("m", "1", K, A, conf));
    assertThat(e.exitCode()).isEqualTo(8);
    assertThat(e.lines())
        .containsExactly(
            "Bad conf file.", "File: " + conf + " does not represent a valid dkms.conf file.");
    assertThat(stderr())
        .isEqualTo(
            "dkms.conf: Error! Duplicate module 'a' in 'BUILT_MODULE_NAME[1]'.\n"
                + "dkms.conf: Error! Duplicate module 'a' in 'DEST_MODULE_NAME[1]'.\n");
    // a non-strict read accepts it
    assertThat(reader.read("m", "1", K, A, conf).modules()).hasSize(2);
  }

  @Test
  void badConfDiesWithStatusEightAfterTheDkmsConfLines() throws Exception {
    Path conf = added("m", "1", "BUILT_MODULE_NAME=m.ko\nDEST_MODULE_LOCATION=/kernel\n");
    DkmsException e =
        catchThrowableOfType(DkmsException.class, () -> reader.read("m", "1", K, A, conf));
    assertThat(e.exitCode()).isEqualTo(8);
    assertThat(e.isWarning()).isFalse();
    assertThat(e.lines())
        .containsExactly(
            "Bad conf file.", "File: " + conf + " does not represent a valid dkms.conf file.");
    assertThat(stderr())
        .isEqualTo(
            "dkms.conf: Error! No 'PACKAGE_NAME' directive specified.\n"
                + "dkms.conf: Error! No 'PACKAGE_VERSION' directive specified.\n"
                + "dkms.conf: Error! 'BUILT_MODULE_NAME' directive ends in '.o' or '.ko' in"
                + " record #0.\n"
                + "dkms.conf: Error! 'DEST_MODULE_NAME' directive ends in '.o' or '.ko' in"
                + " record #0.\n");
    session.report(e);
    assertThat(stderr())
        .endsWith(
            "\nError! Bad conf file.\nFile: "
                + conf
                + " does not represent a valid dkms.conf file.\n");
  }

  @Test
  void badConfMessageNamesTheDashCFileOrNothing() throws Exception {
    added("m", "1", "PACKAGE_NAME=m\n");
    // upstream prints ${3:-$conf}: without an explicit path and without -c, an empty name
    DkmsException none =
        catchThrowableOfType(DkmsException.class, () -> reader.read("m", "1", K, A, null));
    assertThat(none.lines())
        .containsExactly("Bad conf file.", "File:  does not represent a valid dkms.conf file.");

    Path dashC = root.resolve("other.conf");
    Files.writeString(dashC, "PACKAGE_NAME=m\n");
    DkmsRequest.Builder request = new DkmsRequest.Builder();
    request.conf = dashC.toString();
    use(request);
    DkmsException withC =
        catchThrowableOfType(DkmsException.class, () -> reader.read("m", "1", K, A, null));
    assertThat(withC.lines())
        .containsExactly(
            "Bad conf file.", "File: " + dashC + " does not represent a valid dkms.conf file.");
    assertThat(reader.defaultConf("m", "1")).isEqualTo(dashC);
  }

  @Test
  void missingConfDiesWithStatusFour() throws Exception {
    Path missing = dkmsTree.resolve("m/1/source/dkms.conf");
    DkmsException e =
        catchThrowableOfType(DkmsException.class, () -> reader.read("m", "1", K, A, null));
    assertThat(e.exitCode()).isEqualTo(4);
    assertThat(e.lines())
        .containsExactly(
            "Could not locate dkms.conf file.", "File: " + missing + " does not exist.");
    assertThat(bashRuns()).isZero();
  }

  @Test
  void directivesOverrideAndAreEchoedOnEveryRealRead() throws Exception {
    added("m", "1", VALID);
    DkmsRequest.Builder request = new DkmsRequest.Builder();
    request.directives.add("PACKAGE_VERSION=9=x");
    request.directives.add("AUTOINSTALL=yes");
    use(request);
    DkmsConf c = reader.read("m", "1", K, A, null);
    assertThat(c.packageVersion()).isEqualTo("9=x");
    assertThat(c.autoinstall()).isTrue();
    reader.read("m", "1", K, A, null);
    assertThat(stdout())
        .isEqualTo("DIRECTIVE: PACKAGE_VERSION=\"9=x\"\nDIRECTIVE: AUTOINSTALL=\"yes\"\n");
  }

  @Test
  void directivesAreExportedToLaterChildren() throws Exception {
    added("m", "1", VALID);
    DkmsRequest.Builder request = new DkmsRequest.Builder();
    request.directives.add("KVER_FROM_CLI=6.1 x");
    use(request);
    reader.read("m", "1", K, A, null);
    assertThat(session.environment().get("KVER_FROM_CLI")).isEqualTo("6.1 x");
    Path log = root.resolve("child.log");
    new dev.jdkms.core.exec.CommandRunner(session.console(), false)
        .run(
            new dev.jdkms.core.exec.CommandRunner.Invocation(
                "echo \"[$KVER_FROM_CLI]\"",
                "Child",
                log,
                false,
                false,
                null,
                session.environment()));
    assertThat(Files.readString(log)).contains("\n[6.1 x]\n");
  }

  @Test
  void kernelSourceDirAndConfigFromTheCommandLine() throws Exception {
    Path ksd = Files.createDirectories(root.resolve("linux"));
    DkmsRequest.Builder request = new DkmsRequest.Builder();
    request.kernelSourceDir = ksd.toString();
    request.kernelSourceDirFromCli = true;
    request.kernelConfig = root.resolve("my.config").toString();
    request.kernelConfigFromCli = true;
    use(request);
    added("m", "1", VALID + "MAKE=\"$kernel_source_dir $kernel_config\"\n");
    assertThat(reader.read("m", "1", K, A, null).makeCommand())
        .isEqualTo(ksd + " " + root.resolve("my.config"));
  }

  private String readInChildJvm(String mode) {
    ProcessBuilder pb =
        Sh.java(
            ReadConfMain.class,
            dkmsTree.toString(),
            sourceTree.toString(),
            installTree.toString(),
            etc.toString(),
            mode,
            "m",
            "1",
            K,
            A);
    pb.redirectErrorStream(true);
    Sh.Result r = Sh.finish(pb);
    assertThat(r.exitCode()).as(r.stdout()).isZero();
    return r.stdout();
  }

  @Test
  void strictReadsPrintDeprecationsThenTheirOwnMessagesOnTheRealConsole() throws Exception {
    Path conf = added("m", "1", "PACKAGE_NAME=m\nPACKAGE_VERSION=1\nREMAKE_INITRD=yes\n");
    Files.writeString(etc.resolve("m.conf"), "echo from-override >&2\n");
    Path override = etc.resolve("m.conf");
    assertThat(readInChildJvm("strict"))
        .isEqualTo(
            "Deprecated feature: REMAKE_INITRD ("
                + conf
                + ")\n"
                + "from-override\n"
                + "Deprecated feature: REMAKE_INITRD ("
                + override
                + ")\n"
                + "dkms.conf: Warning! Zero modules specified.\n"
                + "status 0\n");
    assertThat(readInChildJvm("plain")).isEqualTo("from-override\nstatus 0\n");
  }
}
