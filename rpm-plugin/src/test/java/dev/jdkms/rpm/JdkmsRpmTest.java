package dev.jdkms.rpm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jdkms.layout.JdkmsLayout;
import dev.jdkms.layout.LayoutEntry;
import dev.jdkms.layout.LayoutEntry.Kind;
import dev.jdkms.layout.LayoutSources;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.redline_rpm.ReadableChannelWrapper;
import org.redline_rpm.Scanner;
import org.redline_rpm.header.Format;
import org.redline_rpm.header.Header;

/** Writes the jdkms rpm from the real sources (a stand-in jar) and reads its header back. */
class JdkmsRpmTest {
  @TempDir static Path tmp;
  private static Header header;
  private static Path rpm;

  @BeforeAll
  static void writeAndReadBack() throws Exception {
    Path module = Path.of("").toAbsolutePath();
    Path checkout = LayoutSources.copy(module.getParent(), tmp.resolve("checkout"), "stand-in");
    JdkmsRpm.main(
        new String[] {
          "--version=1.2.3-SNAPSHOT",
          "--dkms-version=3.4.3",
          "--repo=" + checkout,
          "--rpm-root=" + module.resolve("src/rpm"),
          "--out=" + tmp.resolve("out")
        });
    rpm = tmp.resolve("out/jdkms-1.2.3~SNAPSHOT-1.noarch.rpm");
    try (InputStream in = Files.newInputStream(rpm)) {
      Format f =
          new Scanner(new PrintStream(OutputStream.nullOutputStream()))
              .run(new ReadableChannelWrapper(Channels.newChannel(in)));
      header = f.getHeader();
    }
  }

  private static List<String> strings(int tag) {
    return Arrays.asList((String[]) header.getEntry(tag).getValues());
  }

  private static int[] ints(int tag) {
    return (int[]) header.getEntry(tag).getValues();
  }

  @Test
  void fileNameAndVersionFollowTheMavenVersion() {
    assertThat(rpm).exists();
    assertThat(strings(1001)).containsExactly("1.2.3~SNAPSHOT"); // RPMTAG_VERSION
    assertThat(strings(1002)).containsExactly("1"); // RPMTAG_RELEASE
  }

  @Test
  void perPackageUnTriggerOnKernelAndSourceDirectoriesRunsAfterPreun() {
    assertThat(strings(5069)).containsExactly("/lib/modules", "/usr/lib/modules", "/usr/src");
    assertThat(ints(5070)).containsExactly(0, 0, 0);
    assertThat(ints(5072)).containsOnly(1 << 17); // RPMSENSE_TRIGGERUN
    assertThat(ints(5084)).containsExactly(JdkmsRpm.AFTER_PREUN);
    assertThat(strings(5067)).containsExactly("/bin/sh");
    assertThat(strings(5066).get(0)).contains("hook rpm removing \"$PPID\"");
  }

  @Test
  void transactionTriggersInOnTheSamePrefixesAndPostunOnRoot() {
    List<String> scripts = strings(5076);
    assertThat(scripts).hasSize(2);
    assertThat(scripts.get(0)).contains("hook rpm installed \"$PPID\"");
    assertThat(scripts.get(1)).contains("hook rpm finish \"$PPID\"");
    // rows sorted by name, each pointing at its script
    assertThat(strings(5079)).containsExactly("/", "/lib/modules", "/usr/lib/modules", "/usr/src");
    assertThat(ints(5080)).containsExactly(1, 0, 0, 0);
    assertThat(ints(5082)).containsExactly(1 << 18, 1 << 16, 1 << 16, 1 << 16);
    assertThat(ints(5085)).containsExactly(1_000_000, 1_000_000);
  }

  @Test
  void replacesDkmsAndRequiresJavaAndTheBuildTools() {
    List<String> provides = strings(1047);
    int p = provides.indexOf("dkms");
    assertThat(p).isNotNegative();
    assertThat(strings(1113).get(p)).isEqualTo("3.4.3"); // PROVIDEVERSION
    assertThat(strings(1090)).containsExactly("dkms"); // OBSOLETENAME
    assertThat(strings(1115)).containsExactly("3.4.3"); // OBSOLETEVERSION
    assertThat(ints(1114)[0] & 0xe).isEqualTo(2 | 8); // OBSOLETEFLAGS: LESS | EQUAL
    assertThat(strings(1054)).containsExactly("dkms"); // CONFLICTNAME
    List<String> requires = strings(1049);
    assertThat(requires).contains("java-headless", "gcc", "make", "kmod", "/bin/sh");
    assertThat(strings(1050).get(requires.indexOf("java-headless"))).isEqualTo("1:17");
  }

  @Test
  void frameworkConfIsConfigNoreplaceAndTheLayoutIsTheDebs() {
    List<String> base = strings(1117); // BASENAMES
    List<String> dirs = strings(1118); // DIRNAMES
    int[] dirIndex = ints(1116);
    int[] flags = ints(1037); // FILEFLAGS
    List<String> paths =
        java.util.stream.IntStream.range(0, base.size())
            .mapToObj(i -> dirs.get(dirIndex[i]) + base.get(i))
            .toList();
    assertThat(paths)
        .contains(
            "/usr/sbin/dkms",
            "/usr/bin/jdkms",
            "/usr/lib/jdkms/bin/dkms",
            "/usr/lib/jdkms/bin/jdkms",
            "/usr/lib/jdkms/lib/dkms.jar",
            "/usr/lib/jdkms/hooks/java-setup",
            "/usr/lib/dkms/dkms_autoinstaller",
            "/usr/lib/dkms/common.postinst",
            "/usr/lib/kernel/install.d/40-jdkms.install",
            "/usr/lib/systemd/system/jdkms.service",
            "/etc/dkms/framework.conf",
            "/etc/dkms/framework.conf.d",
            "/var/lib/dkms");
    assertThat(paths)
        .doesNotContain(
            "/usr/share/man",
            "/usr/sbin",
            "/usr/lib",
            "/usr/lib/kernel/install.d",
            "/usr/lib/systemd");
    int conf = paths.indexOf("/etc/dkms/framework.conf");
    assertThat(flags[conf]).isEqualTo(1 | 16); // RPMFILE_CONFIG | RPMFILE_NOREPLACE
  }

  /** The payload read back from the header is the layout's rpm entries, no more and no less. */
  @Test
  void payloadIsTheLayoutsRpmEntries() {
    List<String> base = strings(1117); // BASENAMES
    List<String> dirs = strings(1118); // DIRNAMES
    int[] dirIndex = ints(1116);
    short[] modes = (short[]) header.getEntry(1030).getValues(); // FILEMODES
    int[] flags = ints(1037); // FILEFLAGS
    List<String> links = strings(1036); // FILELINKTOS
    List<String> users = strings(1039); // FILEUSERNAME
    List<String> groups = strings(1040); // FILEGROUPNAME
    Map<String, String> actual = new TreeMap<>();
    for (int i = 0; i < base.size(); i++) {
      int mode = modes[i] & 0xffff;
      // A symbolic link's permission bits are redline's own (the system ignores them).
      mode = (mode & 0170000) == 0120000 ? 0120000 : mode;
      String owner = users.get(i) + ":" + groups.get(i);
      actual.put(dirs.get(dirIndex[i]) + base.get(i), row(mode, links.get(i), flags[i], owner));
    }
    Map<String, String> expected = new TreeMap<>();
    for (LayoutEntry e : JdkmsLayout.entries(LayoutEntry.Format.RPM)) {
      String target = e.kind() == Kind.SYMLINK ? e.source() : "";
      int type = e.kind() == Kind.DIRECTORY ? 040000 : e.kind() == Kind.SYMLINK ? 0120000 : 0100000;
      int flag = e.kind() == Kind.CONFFILE ? 1 | 16 : 0; // RPMFILE_CONFIG | RPMFILE_NOREPLACE
      int mode = e.kind() == Kind.SYMLINK ? type : type | e.mode();
      expected.put(e.path(), row(mode, target, flag, "root:root"));
    }
    assertThat(actual).isEqualTo(expected);
  }

  private static String row(int mode, String target, int flags, String owner) {
    return Integer.toOctalString(mode) + " " + target + " " + flags + " " + owner;
  }
}
