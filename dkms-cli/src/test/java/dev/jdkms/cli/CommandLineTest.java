package dev.jdkms.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.jdkms.core.console.Console;
import dev.jdkms.core.session.DkmsException;
import dev.jdkms.core.session.DkmsRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CommandLineTest {
  @TempDir Path dir;
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();
  CommandLine cl = new CommandLine(Console.of(out, err));

  private DkmsRequest parse(String... args) throws DkmsException {
    assertThat(cl.parse(args)).isEqualTo(CommandLine.Outcome.RUN);
    return cl.request();
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void moduleAndVersionSplitAtTheFirstSlash() throws DkmsException {
    DkmsRequest r = parse("-m", "foo/1.0");
    assertThat(r.module).isEqualTo("foo");
    assertThat(r.moduleVersion).isEqualTo("1.0");

    CommandLine c = new CommandLine(Console.of(out, err));
    c.parse(new String[] {"--module=a/b/c"});
    assertThat(c.request().module).isEqualTo("a");
    assertThat(c.request().moduleVersion).isEqualTo("b/c");

    c = new CommandLine(Console.of(out, err));
    c.parse(new String[] {"-v", "2.0", "-m", "bar"});
    assertThat(c.request().module).isEqualTo("bar");
    assertThat(c.request().moduleVersion).isEqualTo("2.0");

    c = new CommandLine(Console.of(out, err));
    c.parse(new String[] {"-m", "/x"});
    assertThat(c.request().module).isEmpty();
    assertThat(c.request().moduleVersion).isEqualTo("x");
  }

  @Test
  void aLaterModuleOptionWinsAndAVersionOnlyOptionKeepsTheModule() throws DkmsException {
    DkmsRequest r = parse("-m", "a/1", "--module", "b/2", "-v", "3");
    assertThat(r.module).isEqualTo("b");
    assertThat(r.moduleVersion).isEqualTo("3");
  }

  @Test
  void kernelAndArchSplitAndRepeat() throws DkmsException {
    DkmsRequest r =
        parse(
            "-k",
            "6.1.0-9-amd64/x86_64",
            "--kernelver=6.2",
            "--kernelver",
            "6.3/aarch64/x",
            "-a",
            "i686",
            "--arch=armv7l");
    assertThat(r.kernels).containsExactly("6.1.0-9-amd64", "6.2", "6.3");
    assertThat(r.arches).containsExactly("x86_64", "aarch64/x", "i686", "armv7l");
  }

  @Test
  void valueOptionsTakeEqualsOrTheNextWord() throws DkmsException {
    DkmsRequest r =
        parse(
            "--templatekernel=6.0",
            "-c",
            "/x/dkms.conf",
            "--dkmstree",
            "/t/dkms",
            "--sourcetree=/t/src",
            "--installtree",
            "/t/mod",
            "--config=/t/.config",
            "--archive",
            "/t/a.tar.gz",
            "--kernelsourcedir=/t/ksrc",
            "--directive",
            "A=b=c",
            "--directive=X=",
            "-j",
            "4");
    assertThat(r.templateKernel).isEqualTo("6.0");
    assertThat(r.conf).isEqualTo("/x/dkms.conf");
    assertThat(r.dkmsTree).isEqualTo("/t/dkms");
    assertThat(r.sourceTree).isEqualTo("/t/src");
    assertThat(r.installTree).isEqualTo("/t/mod");
    assertThat(r.kernelConfig).isEqualTo("/t/.config");
    assertThat(r.kernelConfigFromCli).isTrue();
    assertThat(r.archive).isEqualTo("/t/a.tar.gz");
    assertThat(r.kernelSourceDir).isEqualTo("/t/ksrc");
    assertThat(r.kernelSourceDirFromCli).isTrue();
    assertThat(r.directives).containsExactly("A=b=c", "X=");
    assertThat(r.parallelJobs).isEqualTo("4");
    assertThat(r.action).isEmpty();
  }

  @Test
  void longOptionsArePrefixMatchedAsBashCaseGlobsDo() throws DkmsException {
    DkmsRequest r =
        parse(
            "--kernelversion=6.1",
            "--modules",
            "m/1",
            "--archives=/a.tgz",
            "--architecture",
            "x86_64",
            "--configuration=/c",
            "--directives=D=1",
            "--dkmstreeXYZ=/d",
            "--templatekernels=6.0");
    assertThat(r.kernels).containsExactly("6.1");
    assertThat(r.module).isEqualTo("m");
    // --archive* is tested before --arch*
    assertThat(r.archive).isEqualTo("/a.tgz");
    assertThat(r.arches).containsExactly("x86_64");
    assertThat(r.kernelConfig).isEqualTo("/c");
    assertThat(r.directives).containsExactly("D=1");
    assertThat(r.dkmsTree).isEqualTo("/d");
    assertThat(r.templateKernel).isEqualTo("6.0");
  }

  @Test
  void valuesAreReadLikeBashsReadR() throws DkmsException {
    // first line only, blanks trimmed; other characters (a CR) kept
    DkmsRequest r = parse("-k", " \t6.1 \nsecond", "--kernelver= 6.2\t", "-m", "m\r/1");
    assertThat(r.kernels).containsExactly("6.1", "6.2");
    assertThat(r.module).isEqualTo("m\r");
    assertThat(r.moduleVersion).isEqualTo("1");
  }

  @Test
  void aMissingValueAtTheEndIsEmpty() throws DkmsException {
    DkmsRequest r = parse("status", "-k");
    assertThat(r.kernels).containsExactly("");
    assertThat(r.action).isEqualTo("status");
  }

  @Test
  void flags() throws DkmsException {
    DkmsRequest r =
        parse(
            "--force",
            "--force-version-override",
            "--all",
            "--verbose",
            "--rpm_safe_upgrade",
            "--symlink-modules",
            "--no-depmod",
            "--modprobe-on-install",
            "--binaries-only",
            "--source-only",
            "--debug");
    assertThat(r.force).isTrue();
    assertThat(r.forceVersionOverride).isTrue();
    assertThat(r.all).isTrue();
    assertThat(r.verbose).isTrue();
    assertThat(r.rpmSafeUpgrade).isTrue();
    assertThat(r.symlinkModules).isTrue();
    assertThat(r.noDepmod).isTrue();
    assertThat(r.modprobeOnInstall).isTrue();
    assertThat(r.binariesOnly).isTrue();
    assertThat(r.sourceOnly).isTrue();
    assertThat(out.size() + err.size()).isZero();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "add",
        "remove",
        "build",
        "unbuild",
        "install",
        "uninstall",
        "autoinstall",
        "match",
        "mktarball",
        "ldtarball",
        "status",
        "generate_mok",
        "kernel_preinst",
        "kernel_postinst",
        "kernel_prerm"
      })
  void actions(String action) throws DkmsException {
    DkmsRequest r = parse("-m", "m/1", action);
    assertThat(r.action).isEqualTo(action);
  }

  @Test
  void removedActionsAreModuleNames() throws DkmsException {
    DkmsRequest r = parse("mkrpm", "statuses");
    assertThat(r.action).isEmpty();
    assertThat(r.module).isEqualTo("mkrpm");
    assertThat(stderr()).isEqualTo("Warning: I do not know how to handle statuses.\n");
  }

  @Test
  void aSecondActionDiesWithStatusFour() {
    DkmsException e =
        catchThrowableOfType(DkmsException.class, () -> cl.parse(new String[] {"add", "build"}));
    assertThat(e.exitCode()).isEqualTo(4);
    assertThat(e.lines()).containsExactly("Cannot specify more than one action.");
    assertThat(e.isWarning()).isFalse();
  }

  @Test
  void unknownOptionsStopParsing() throws DkmsException {
    assertThat(cl.parse(new String[] {"status", "--bogus", "add", "-k", "6.1"}))
        .isEqualTo(CommandLine.Outcome.UNKNOWN_OPTION);
    assertThat(cl.unknownOption()).isEqualTo("--bogus");
    assertThat(cl.request().kernels).isEmpty();

    CommandLine c = new CommandLine(Console.of(out, err));
    assertThat(c.parse(new String[] {"-m=foo"})).isEqualTo(CommandLine.Outcome.UNKNOWN_OPTION);
    assertThat(c.unknownOption()).isEqualTo("-m=foo");
    // removed in 3.0
    for (String removed : new String[] {"-d", "-r", "--size", "--spec", "--dkmsframework"}) {
      c = new CommandLine(Console.of(out, err));
      assertThat(c.parse(new String[] {removed, "x"}))
          .as(removed)
          .isEqualTo(CommandLine.Outcome.UNKNOWN_OPTION);
    }
  }

  @Test
  void helpAndVersionStopParsing() throws DkmsException {
    assertThat(cl.parse(new String[] {"-h", "--bogus"})).isEqualTo(CommandLine.Outcome.HELP);
    assertThat(new CommandLine(Console.of(out, err)).parse(new String[] {"--help"}))
        .isEqualTo(CommandLine.Outcome.HELP);
    assertThat(new CommandLine(Console.of(out, err)).parse(new String[] {"-V", "add", "add"}))
        .isEqualTo(CommandLine.Outcome.VERSION);
    assertThat(new CommandLine(Console.of(out, err)).parse(new String[] {"status", "--version"}))
        .isEqualTo(CommandLine.Outcome.VERSION);
  }

  @Test
  void deprecatedOptionsWarnAndAreIgnored() throws DkmsException {
    parse("--no-initrd", "--no-clean-kernel", "--no-prepare-kernel", "status");
    assertThat(stderr())
        .isEqualTo(
            "Deprecated feature: --no-initrd\n"
                + "Deprecated feature: --no-clean-kernel\n"
                + "Deprecated feature: --no-prepare-kernel\n");
    assertThat(cl.request().action).isEqualTo("status");
  }

  @Test
  void wordsAreClassified() throws IOException, DkmsException {
    Path srcDir = Files.createDirectories(dir.resolve("src/foo-1.0"));
    Files.writeString(srcDir.resolve("dkms.conf"), "PACKAGE_NAME=foo\n");
    Path plainDir = Files.createDirectories(dir.resolve("plain"));
    Path tarball = Files.writeString(dir.resolve("foo.dkms.tar.gz"), "");
    Path otherConf = Files.writeString(dir.resolve("my-dkms.conf"), "");

    DkmsRequest r = parse("add", srcDir.toString());
    assertThat(r.trySourceTree).isEqualTo(srcDir.toString());
    assertThat(r.module).isEmpty();

    cl = new CommandLine(Console.of(out, err));
    r = parse(srcDir.resolve("dkms.conf").toString());
    assertThat(r.trySourceTree).isEqualTo(srcDir + "/./");

    // any existing file whose name ends in dkms.conf
    cl = new CommandLine(Console.of(out, err));
    r = parse(otherConf.toString());
    assertThat(r.trySourceTree).isEqualTo(dir + "/my-./");

    cl = new CommandLine(Console.of(out, err));
    r = parse("ldtarball", tarball.toString());
    assertThat(r.archive).isEqualTo(tarball.toString());
    assertThat(r.trySourceTree).isEmpty();

    // a directory without dkms.conf is just a name: split at its first slash
    cl = new CommandLine(Console.of(out, err));
    r = parse(plainDir.toString());
    assertThat(r.module).isEmpty();
    assertThat(r.moduleVersion).isEqualTo(plainDir.toString().substring(1));
    assertThat(r.trySourceTree).isEmpty();
    assertThat(r.archive).isEmpty();
  }

  @Test
  void extraWordsAreWarnedAbout() throws DkmsException {
    DkmsRequest r = parse("foo/2.0", "bar/3.0", "status", "baz");
    assertThat(r.module).isEqualTo("foo");
    assertThat(r.moduleVersion).isEqualTo("2.0");
    assertThat(stderr())
        .isEqualTo(
            "Warning: I do not know how to handle bar/3.0.\n"
                + "Warning: I do not know how to handle baz.\n");
  }

  @Test
  void anEmptyModuleLeavesRoomForTheNextWord() throws DkmsException {
    // "/nonexistent/x" gives module "" (the part before the first slash), so upstream's
    // "[[ ! $module ]]" still takes the next word as module/version
    DkmsRequest r = parse(dir.resolve("nonexistent/x").toString(), "foo/1");
    assertThat(r.module).isEqualTo("foo");
    assertThat(r.moduleVersion).isEqualTo("1");
    assertThat(stderr()).isEmpty();
  }

  @Test
  void aMissingPathIsAModuleVersion() throws DkmsException {
    DkmsRequest r = parse("foo/1.0", "build");
    assertThat(r.module).isEqualTo("foo");
    assertThat(r.moduleVersion).isEqualTo("1.0");
    assertThat(r.action).isEqualTo("build");
    assertThat(stderr()).isEmpty();
  }

  @Test
  void quietSilencesEverythingAfterIt() throws DkmsException {
    DkmsRequest r = parse("--no-initrd", "a/1", "first", "-q", "second", "--no-clean-kernel");
    assertThat(r.quiet).isTrue();
    assertThat(cl.console().isQuiet()).isTrue();
    // what came before -q was printed, as with upstream's exec >/dev/null 2>&1
    assertThat(stderr())
        .isEqualTo(
            "Deprecated feature: --no-initrd\nWarning: I do not know how to handle first.\n");
    cl.console().println("gone");
    cl.console().errln("gone");
    assertThat(out.size()).isZero();
    assertThat(stderr()).doesNotContain("gone");

    CommandLine q = new CommandLine(Console.of(out, err));
    q.parse(new String[] {"--quiet"});
    assertThat(q.request().quiet).isTrue();
  }
}
