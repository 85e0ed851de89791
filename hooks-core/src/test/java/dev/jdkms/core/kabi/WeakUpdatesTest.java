package dev.jdkms.core.kabi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** weak-updates links decided by verdicts, in a fabricated DKMS tree and /lib/modules. */
class WeakUpdatesTest {
  static final String A = "5.14.0-427.el9.x86_64";
  static final String B = "5.14.0-503.el9.x86_64";
  static final String ARCH = "x86_64";

  @TempDir Path dir;
  Path modules;
  Path tree;
  WeakUpdates weak;

  @BeforeEach
  void layout() throws Exception {
    modules = Files.createDirectories(dir.resolve("lib/modules"));
    tree = Files.createDirectories(dir.resolve("dkms"));
    Files.createDirectories(modules.resolve(B));
    weak = new WeakUpdates(modules, tree);
  }

  /** Installs module {@code name} version 1.0 for kernel A as dkms would, with its dkms.conf. */
  private Path install(String name, long printkCrc, String conf) throws Exception {
    TestElf t =
        new TestElf()
            .modinfo(
                "name=" + name, "license=GPL", "vermagic=" + A + " SMP mod_unload modversions ");
    t.versions.put("module_layout", 0x11L);
    t.versions.put("printk", printkCrc);
    t.imports.add("printk");
    byte[] ko = t.build();
    Path src = Files.createDirectories(dir.resolve("src/" + name + "-1.0"));
    Files.writeString(src.resolve("dkms.conf"), "PACKAGE_NAME=" + name + "\n" + conf);
    Path v = Files.createDirectories(tree.resolve(name + "/1.0"));
    Files.createSymbolicLink(v.resolve("source"), src);
    Path built = Files.createDirectories(v.resolve(A + "/" + ARCH + "/module"));
    Files.write(built.resolve(name + ".ko"), ko);
    Files.createSymbolicLink(
        tree.resolve(name + "/kernel-" + A + "-" + ARCH), Path.of("1.0/" + A + "/" + ARCH));
    Path inst = Files.createDirectories(modules.resolve(A + "/extra/" + name));
    return Files.write(inst.resolve(name + ".ko"), ko);
  }

  private static KernelAbi kernelB(boolean modversions) {
    return KernelAbi.builder(B)
        .symvers(
            SymbolVersions.parse(
                "0x00000011\tmodule_layout\tvmlinux\tEXPORT_SYMBOL\t\n"
                    + (modversions ? "0x00000099" : "0x00000000")
                    + "\tprintk\tvmlinux\tEXPORT_SYMBOL\t\n"),
            "fabricated")
        .vermagic(B + " SMP mod_unload " + (modversions ? "modversions " : ""), "fabricated")
        .modversions(modversions, "fabricated")
        .builtin(Set.of(), "fabricated")
        .installedModules(Map.of(), "fabricated")
        .thisModuleSize(896L, "fabricated")
        .elf(64, false, 62, "fabricated")
        .signaturesEnforced(false, "fabricated")
        .crcGenerator("genksyms", "fabricated")
        .build();
  }

  @Test
  void compatibleModulesAreLinkedAndShownAsInstalledWeak() throws Exception {
    Path target = install("zed", 0x99, "");

    WeakUpdates.Plan plan = weak.plan(kernelB(true), ARCH, (m, v) -> false);
    boolean changed = WeakUpdates.apply(plan);

    Path link = modules.resolve(B + "/weak-updates/zed/zed.ko");
    assertThat(changed).isTrue();
    assertThat(plan.verdicts()).allMatch(Verdict::compatible);
    assertThat(Files.readSymbolicLink(link)).isEqualTo(target);
    assertThat(weak.status("zed", "1.0", "", ""))
        .containsExactly(new WeakUpdates.WeakEntry("zed", "1.0", B, ARCH, A));
    // idempotent: a second run changes nothing
    assertThat(WeakUpdates.apply(weak.plan(kernelB(true), ARCH, (m, v) -> false))).isFalse();
  }

  @Test
  void incompatibleModulesAreNotLinkedAndStaleLinksGo() throws Exception {
    install("zed", 0x99, "");
    WeakUpdates.apply(weak.plan(kernelB(true), ARCH, (m, v) -> false));
    // the module is rebuilt for A with a CRC B does not have: its link must go
    install("other", 0x98, "");
    Files.write(
        tree.resolve("zed/1.0/" + A + "/" + ARCH + "/module/zed.ko"),
        Files.readAllBytes(tree.resolve("other/1.0/" + A + "/" + ARCH + "/module/other.ko")));
    Files.copy(
        tree.resolve("zed/1.0/" + A + "/" + ARCH + "/module/zed.ko"),
        modules.resolve(A + "/extra/zed/zed.ko"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);

    WeakUpdates.Plan plan = weak.plan(kernelB(true), ARCH, (m, v) -> false);
    WeakUpdates.apply(plan);

    assertThat(plan.add()).isEmpty();
    assertThat(plan.remove()).containsExactly(modules.resolve(B + "/weak-updates/zed/zed.ko"));
    assertThat(modules.resolve(B + "/weak-updates/zed")).doesNotExist();
    assertThat(plan.verdicts()).noneMatch(Verdict::compatible);
  }

  @Test
  void kernelsWithoutModversionsNeverGetLinks() throws Exception {
    install("zed", 0x99, "");
    WeakUpdates.apply(weak.plan(kernelB(true), ARCH, (m, v) -> false));

    WeakUpdates.Plan plan = weak.plan(kernelB(false), ARCH, (m, v) -> false);
    WeakUpdates.apply(plan);

    assertThat(plan.note())
        .isEqualTo(B + " has no MODVERSIONS: modules are rebuilt for it, never linked");
    assertThat(plan.add()).isEmpty();
    assertThat(modules.resolve(B + "/weak-updates/zed/zed.ko")).doesNotExist();
    assertThat(weak.status("zed", "1.0", "", "")).isEmpty();
  }

  @Test
  void noWeakModulesInDkmsConfIsHonoured() throws Exception {
    install("zed", 0x99, "NO_WEAK_MODULES=\"yes\"\n");
    install("zap", 0x99, "NO_WEAK_MODULES=no\n");

    WeakUpdates.Plan plan = weak.plan(kernelB(true), ARCH, WeakUpdates.noWeakModulesFromConf(tree));

    assertThat(plan.add()).extracting(WeakUpdates.Link::module).containsExactly("zap");
  }

  @Test
  void modulesBuiltForTheKernelItselfAreNotLinked() throws Exception {
    install("zed", 0x99, "");
    Files.createDirectories(tree.resolve("zed/1.0/" + B + "/" + ARCH + "/module"));

    assertThat(weak.plan(kernelB(true), ARCH, (m, v) -> false).add()).isEmpty();
    assertThat(List.of(weak.status("zed", "1.0", B, ""))).containsExactly(List.of());
  }

  @Test
  void unlinkAllRemovesOnlyTheLinksJdkmsManages() throws Exception {
    install("zed", 0x99, "");
    WeakUpdates.apply(weak.plan(kernelB(true), ARCH, (m, v) -> false));
    Path foreign = modules.resolve(B + "/weak-updates/vendor.ko");
    Files.writeString(foreign, "not ours");

    WeakUpdates.Plan plan = weak.unlinkAll(B);
    assertThat(WeakUpdates.apply(plan)).isTrue();

    assertThat(plan.remove()).containsExactly(modules.resolve(B + "/weak-updates/zed/zed.ko"));
    assertThat(modules.resolve(B + "/weak-updates/zed")).doesNotExist();
    assertThat(foreign).exists();
    assertThat(WeakUpdates.apply(weak.unlinkAll(B))).isFalse();
  }
}
