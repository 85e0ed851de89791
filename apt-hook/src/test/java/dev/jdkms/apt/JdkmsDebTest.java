package dev.jdkms.apt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jdkms.layout.JdkmsLayout;
import dev.jdkms.layout.LayoutEntry;
import dev.jdkms.layout.LayoutEntry.Format;
import dev.jdkms.layout.LayoutSources;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writes the .deb from this checkout (a stand-in jar) and reads it back with ar and tar. */
class JdkmsDebTest {
  @TempDir static Path tmp;
  private static Path deb;
  private static Map<String, byte[]> members;

  @BeforeAll
  static void writeAndReadBack() throws Exception {
    Path checkout = Path.of("").toAbsolutePath().getParent();
    Path copy = LayoutSources.copy(checkout, tmp.resolve("checkout"), "stand-in");
    copyTree(
        checkout.resolve("apt-hook/src/deb/control"), copy.resolve("apt-hook/src/deb/control"));
    JdkmsDeb.main(
        new String[] {
          "--repo=" + copy,
          "--version=1.2.3-SNAPSHOT",
          "--dkms-version=3.4.3",
          "--timestamp=2026-01-01T00:00:00Z",
          "--out=" + tmp.resolve("out")
        });
    deb = tmp.resolve("out/jdkms_1.2.3-SNAPSHOT_all.deb");
    members = new LinkedHashMap<>();
    try (ArArchiveInputStream ar = new ArArchiveInputStream(Files.newInputStream(deb))) {
      for (ArArchiveEntry e = ar.getNextEntry(); e != null; e = ar.getNextEntry()) {
        members.put(e.getName(), ar.readAllBytes());
      }
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (var s = Files.list(from)) {
      for (Path p : s.toList()) {
        Files.copy(p, to.resolve(p.getFileName().toString()));
      }
    }
  }

  /** Each tar member's kind, mode, link target and owner; regular files' contents when asked. */
  private static Map<String, String> tar(String member, Map<String, String> texts)
      throws IOException {
    Map<String, String> rows = new TreeMap<>();
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(members.get(member)));
        TarArchiveInputStream t = new TarArchiveInputStream(in)) {
      for (TarArchiveEntry e = t.getNextEntry(); e != null; e = t.getNextEntry()) {
        String kind = e.isDirectory() ? "dir" : e.isSymbolicLink() ? "link" : "file";
        String mode = e.isSymbolicLink() ? "" : Integer.toOctalString(e.getMode() & 07777);
        String owner = e.getLongUserId() == 0 && e.getLongGroupId() == 0 ? "" : " not root";
        rows.put(e.getName(), kind + " " + mode + " " + e.getLinkName() + owner);
        if (e.isFile() && texts != null) {
          texts.put(e.getName(), new String(t.readAllBytes(), StandardCharsets.UTF_8));
        }
      }
    }
    return rows;
  }

  @Test
  void arMembersInDpkgsOrder() {
    assertThat(members.keySet()).containsExactly("debian-binary", "control.tar.gz", "data.tar.gz");
    assertThat(new String(members.get("debian-binary"), StandardCharsets.US_ASCII))
        .isEqualTo("2.0\n");
  }

  /** The data members are the layout's .deb entries and the directories above them. */
  @Test
  void dataIsTheLayoutsDebEntries() throws IOException {
    Map<String, String> expected = new TreeMap<>();
    for (String dir : JdkmsLayout.unownedParents(Format.DEB)) {
      expected.put("." + dir + "/", "dir 755 ");
    }
    for (LayoutEntry e : JdkmsLayout.entries(Format.DEB)) {
      String mode = Integer.toOctalString(e.mode());
      switch (e.kind()) {
        case DIRECTORY -> expected.put("." + e.path() + "/", "dir " + mode + " ");
        case FILE, CONFFILE -> expected.put("." + e.path(), "file " + mode + " ");
        case SYMLINK -> expected.put("." + e.path(), "link  " + e.source());
      }
    }
    assertThat(tar("data.tar.gz", null)).isEqualTo(expected);
  }

  @Test
  void conffilesAreTheLayoutsAndTheVersionsFilledIn() throws IOException {
    Map<String, String> control = new TreeMap<>();
    tar("control.tar.gz", control);
    assertThat(control.get("./conffiles").lines())
        .containsExactlyElementsOf(JdkmsLayout.conffiles(Format.DEB));
    assertThat(control.get("./control").lines())
        .contains("Package: jdkms", "Version: 1.2.3~SNAPSHOT", "Provides: dkms (= 3.4.3)")
        .noneMatch(l -> l.contains("[["));
    assertThat(control).containsKeys("./postinst", "./prerm", "./postrm", "./triggers");
  }

  @Test
  void membersHaveTheBuildsTimestamp() throws IOException {
    long expected = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    try (InputStream in =
            new GZIPInputStream(new ByteArrayInputStream(members.get("data.tar.gz")));
        TarArchiveInputStream t = new TarArchiveInputStream(in)) {
      for (TarArchiveEntry e = t.getNextEntry(); e != null; e = t.getNextEntry()) {
        assertThat(e.getModTime().getTime()).as(e.getName()).isEqualTo(expected);
      }
    }
  }
}
