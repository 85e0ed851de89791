package dev.jdkms.core.secureboot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jdkms.core.secureboot.ModuleVerdict.Status;
import dev.jdkms.core.sign.ModuleSignature;
import dev.jdkms.core.testutil.Fuzz;
import dev.jdkms.core.tree.DkmsTree;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

class ModuleVerdictsTest {
  static final String KERNEL = "6.1.0-56-amd64";

  @TempDir static Path keys;
  static EfiFixture.Pair enrolled;
  static EfiFixture.Pair waiting;
  static EfiFixture.Pair stranger;

  @TempDir Path root;

  @BeforeAll
  static void generateKeys() throws Exception {
    enrolled = EfiFixture.generate(keys, "enrolled");
    waiting = EfiFixture.generate(keys, "waiting");
    stranger = EfiFixture.generate(keys, "stranger");
  }

  @Test
  void saysWhichInstalledModulesLoadUnderSecureBootAndWhy() throws Exception {
    new EfiFixture(root)
        .secureBoot(1)
        .mokList(enrolled)
        .mokNew(waiting)
        .lockdown("none [integrity] confidentiality");
    DkmsTree tree = tree();

    List<ModuleVerdict> v =
        new ModuleVerdicts(SecureBootProbe.read(root.resolve("sys"))).installed(tree, KERNEL);

    assertThat(v)
        .extracting(m -> m.file().getFileName() + " " + m.status() + " " + m.reason())
        .containsExactly(
            "a.ko LOADS signed by CN=DKMS module signing key, enrolled in MokListRT",
            "b.ko.xz LOADS signed by CN=DKMS module signing key, enrolled in MokListRT",
            "c.ko REFUSED not signed",
            "d.ko PENDING signed by CN=DKMS module signing key, waiting in MokNew for the next"
                + " boot",
            "e.ko REFUSED signed by CN=DKMS module signing key, serial "
                + KeyCertificate.colons(unsigned(stranger.parsed().serial().toByteArray()))
                + ", which is in neither MokListRT nor db; keys built into the kernel cannot be"
                + " read from here",
            "f.ko REFUSED "
                + tree.builtDir("hello", "1.0", KERNEL, "x86_64").resolve("module/f.ko")
                + ": its signature trailer is malformed");
    assertThat(v).allMatch(m -> m.module().equals("hello") && m.version().equals("1.0"));
  }

  @Test
  void aKeyOnlyInDbIsNotClaimedToLoad() throws Exception {
    new EfiFixture(root)
        .secureBoot(1)
        .variable("db", EfiGuid.IMAGE_SECURITY_DATABASE, EfiFixture.x509Lists(stranger));
    Path module = EfiFixture.module(root.resolve("e.ko"), stranger);

    ModuleVerdicts.Verdict v =
        new ModuleVerdicts(SecureBootProbe.read(root.resolve("sys"))).judge(module);

    assertThat(v.status()).isEqualTo(Status.UNKNOWN);
    assertThat(v.reason())
        .isEqualTo(
            "signed by CN=DKMS module signing key, which is in db only; the firmware trusts it,"
                + " but many kernels (mainline's among them) accept only MOKs and their built-in"
                + " keys for modules");
  }

  @Test
  void withoutEnforcementEveryWellFormedModuleLoads() throws Exception {
    new EfiFixture(root).secureBoot(0);
    List<ModuleVerdict> v =
        new ModuleVerdicts(SecureBootProbe.read(root.resolve("sys"))).installed(tree(), KERNEL);

    assertThat(v)
        .extracting(m -> m.file().getFileName() + " " + m.status())
        .containsExactly(
            "a.ko LOADS",
            "b.ko.xz LOADS",
            "c.ko LOADS",
            "d.ko LOADS",
            "e.ko LOADS",
            "f.ko REFUSED");
    assertThat(v.get(2).reason()).isEqualTo("the kernel does not enforce module signatures");
  }

  /** hello/1.0 installed for KERNEL; other/1.0 only built, for another kernel as well. */
  private DkmsTree tree() throws Exception {
    Path dkms = root.resolve("var/lib/dkms");
    Path dir = EfiFixture.installed(dkms, "hello", "1.0", KERNEL, "x86_64");
    EfiFixture.module(dir.resolve("a.ko"), enrolled);
    Path b = EfiFixture.module(dir.resolve("b.ko"), enrolled);
    Files.write(dir.resolve("b.ko.xz"), Fuzz.compress(Files.readAllBytes(b), XZ));
    Files.delete(b);
    EfiFixture.module(dir.resolve("c.ko"), null);
    EfiFixture.module(dir.resolve("d.ko"), waiting);
    EfiFixture.module(dir.resolve("e.ko"), stranger);
    Path f = EfiFixture.module(dir.resolve("f.ko"), enrolled);
    breakTrailer(f);
    Path other = EfiFixture.installed(dkms, "other", "1.0", "6.12.9-amd64", "x86_64");
    EfiFixture.module(other.resolve("other.ko"), null);
    Path built = dkms.resolve("other/1.0").resolve(KERNEL).resolve("x86_64/module");
    EfiFixture.module(built.resolve("other.ko"), null);
    return new DkmsTree(dkms, root.resolve("var/lib/src"));
  }

  private static final Fuzz.Compressor XZ = out -> new XZOutputStream(out, new LZMA2Options());

  /** id_type 1 (PGP): a trailer the kernel's mod_check_sig() refuses. */
  private static void breakTrailer(Path module) throws Exception {
    byte[] bytes = Files.readAllBytes(module);
    int struct = bytes.length - ModuleSignature.MAGIC.length() - 12;
    ByteBuffer.wrap(bytes).put(struct + 2, (byte) 1);
    Files.write(module, bytes);
  }

  private static byte[] unsigned(byte[] b) {
    return b.length > 1 && b[0] == 0 ? java.util.Arrays.copyOfRange(b, 1, b.length) : b;
  }
}
