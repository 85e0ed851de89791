package dev.jdkms.core.kabi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jdkms.core.kabi.Finding.Outcome;
import dev.jdkms.core.kabi.Verdict.Status;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verdicts for real modules built against Debian's headers, between the two real ABIs and against
 * fabricated kernels that differ from a real one in exactly one respect.
 */
class VerdictTest {
  @TempDir static Path dir;
  static RealModules real;
  static KernelAbi older;
  static KernelAbi newer;
  static KernelModule prov;
  static KernelModule user;
  static KernelModule prop;
  static SymbolVersions provSymvers;

  @BeforeAll
  static void setUp() throws Exception {
    real = RealModules.build(dir);
    List<Path> refs = new ArrayList<>(real.all(real.older));
    refs.addAll(real.all(real.newer));
    KernelAbiLoader loader = new KernelAbiLoader(Path.of("/"), refs);
    // This machine has headers but no kernel images: say explicitly that nothing is built in or
    // installed, which the rules for dependencies and shadowing need to know.
    older = installable(loader.load(real.older));
    newer = installable(loader.load(real.newer));
    prov = KernelModule.read(real.module(real.newer, "kabi_prov"));
    user = KernelModule.read(real.module(real.newer, "kabi_user"));
    prop = KernelModule.read(real.module(real.newer, "kabi_prop"));
    provSymvers = SymbolVersions.read(real.symvers(real.newer));
  }

  static KernelAbi installable(KernelAbi abi) {
    return abi.toBuilder()
        .builtin(Set.of(), "test: nothing built in")
        .installedModules(Map.of(), "test: nothing installed")
        .build();
  }

  static List<Verdict> group(KernelAbi kernel) {
    return CompatibilityChecker.decide(
        List.of(
            new Candidate(prov, Optional.of(provSymvers), Optional.empty()),
            new Candidate(user, Optional.of(provSymvers), Optional.empty()),
            Candidate.of(prop)),
        kernel);
  }

  /** {@code kernel} with its symvers changed by {@code edit} for one symbol. */
  static KernelAbi withSymbol(
      KernelAbi kernel, String symbol, UnaryOperator<SymbolVersions.Export> edit) {
    Map<String, SymbolVersions.Export> map =
        new LinkedHashMap<>(kernel.symvers().orElseThrow().asMap());
    map.put(symbol, edit.apply(map.get(symbol)));
    return kernel.toBuilder()
        .symvers(SymbolVersions.of(map.values()), "fabricated: " + symbol + " changed")
        .build();
  }

  @Test
  void modulesBuiltForOneDebianAbiLoadIntoTheOtherAsAGroup() {
    for (KernelAbi k : List.of(older, newer)) {
      List<Verdict> v = group(k);

      assertThat(v).extracting(Verdict::status).as(k.release()).containsOnly(Status.COMPATIBLE);
      assertThat(v.get(1).finding(Rule.VERMAGIC).evidence().get(0).kernel())
          .isEqualTo(k.release() + " SMP preempt mod_unload modversions ");
      assertThat(v.get(1).finding(Rule.SYMBOL_CRCS).summary())
          .isEqualTo("all 5 imports exported with equal CRCs");
    }
  }

  @Test
  void aModuleWithoutItsProviderFailsWithTheMissingSymbolAndDependency() {
    Verdict v = CompatibilityChecker.check(user, older);

    assertThat(v.status()).isEqualTo(Status.INCOMPATIBLE);
    assertThat(v.finding(Rule.SYMBOL_CRCS).outcome()).isEqualTo(Outcome.FAIL);
    assertThat(v.finding(Rule.SYMBOL_CRCS).evidence())
        .extracting(Finding.Evidence::subject)
        .containsExactly("kabi_prov_add");
    assertThat(v.finding(Rule.DEPENDENCIES).evidence())
        .extracting(Finding.Evidence::subject)
        .containsExactly("kabi_prov");
  }

  @Test
  void unknownIsNeverCompatible() throws Exception {
    KernelAbi bare = new KernelAbiLoader(Path.of("/"), real.all(real.older)).load(real.older);
    assertThat(bare.installedModules()).as("this machine has no kernel image installed").isEmpty();

    Verdict v = CompatibilityChecker.check(prop, bare);

    assertThat(v.status()).isEqualTo(Status.UNKNOWN);
    assertThat(v.compatible()).isFalse();
    assertThat(v.unknowns()).extracting(Finding::rule).contains(Rule.SHADOWING);
  }

  @Test
  void oneChangedCrcBreaksTheModuleAndItsWholeGroup() {
    long realCrc = older.symvers().orElseThrow().get("kfree").orElseThrow().crc();
    KernelAbi k =
        withSymbol(
            older,
            "kfree",
            e ->
                new SymbolVersions.Export(e.symbol(), e.crc() ^ 1, e.module(), e.exportType(), ""));

    List<Verdict> v = group(k);

    Verdict u = v.get(1);
    assertThat(u.status()).isEqualTo(Status.INCOMPATIBLE);
    assertThat(u.finding(Rule.SYMBOL_CRCS).evidence())
        .containsExactly(
            new Finding.Evidence(
                "kfree",
                RuleSet.hex(realCrc),
                RuleSet.hex(realCrc ^ 1),
                "disagrees about version of symbol (exported by vmlinux)"));
    // kabi_prov itself is fine, but it is decided together with kabi_user: all or none.
    assertThat(v.get(0).status()).isEqualTo(Status.INCOMPATIBLE);
    assertThat(v.get(0).failures()).extracting(Finding::rule).containsExactly(Rule.DEPENDENCIES);
    assertThat(v.get(0).finding(Rule.DEPENDENCIES).evidence().get(0).note())
        .isEqualTo("not compatible: kabi_user");
    // kabi_prop uses kfree too, on its own.
    assertThat(v.get(2).failures()).extracting(Finding::rule).containsExactly(Rule.SYMBOL_CRCS);
  }

  @Test
  void aSymbolMovedIntoANamespaceNeedsImportNs() {
    KernelAbi k =
        withSymbol(
            older,
            "kfree",
            e ->
                new SymbolVersions.Export(e.symbol(), e.crc(), e.module(), e.exportType(), "SLAB"));

    Verdict v = CompatibilityChecker.check(prop, k);

    assertThat(v.failures()).extracting(Finding::rule).containsExactly(Rule.NAMESPACES);
    assertThat(v.finding(Rule.NAMESPACES).evidence().get(0))
        .isEqualTo(
            new Finding.Evidence(
                "kfree",
                "no import_ns",
                "SLAB",
                "module uses symbol kfree from namespace SLAB, but does not import it"));
    // The namespace the real module declares is accepted.
    assertThat(group(older).get(1).finding(Rule.NAMESPACES).outcome()).isEqualTo(Outcome.PASS);
  }

  @Test
  void aSymbolThatBecameGplOnlyRejectsNonGplModulesOnly() {
    KernelAbi k =
        withSymbol(
            older,
            "kfree",
            e ->
                new SymbolVersions.Export(
                    e.symbol(), e.crc(), e.module(), Optional.of("EXPORT_SYMBOL_GPL"), ""));

    Verdict proprietary = CompatibilityChecker.check(prop, k);

    assertThat(proprietary.failures()).extracting(Finding::rule).containsExactly(Rule.GPL_ONLY);
    assertThat(proprietary.finding(Rule.GPL_ONLY).evidence().get(0).subject()).isEqualTo("kfree");
    assertThat(proprietary.finding(Rule.GPL_ONLY).evidence().get(0).module())
        .isEqualTo("Proprietary");
    assertThat(group(k).get(1).finding(Rule.GPL_ONLY).outcome()).isEqualTo(Outcome.PASS);
  }

  @Test
  void aKernelWithoutModversionsNeverAcceptsAnotherRelease() throws Exception {
    Map<String, SymbolVersions.Export> zero = new LinkedHashMap<>();
    for (SymbolVersions.Export e : older.symvers().orElseThrow().asMap().values()) {
      zero.put(
          e.symbol(),
          new SymbolVersions.Export(e.symbol(), 0, e.module(), e.exportType(), e.namespace()));
    }
    String release = "6.1.0-99-nomodversions";
    KernelAbi fedoraLike =
        older.toBuilder()
            .symvers(SymbolVersions.of(zero.values()), "fabricated: all CRCs 0")
            .vermagic(release + " SMP preempt mod_unload ", "fabricated")
            .modversions(false, "fabricated: CONFIG_MODVERSIONS off")
            .build();
    Path stripped = dir.resolve("kabi_prop-noversions.ko");
    KernelModuleTest.run(
        "objcopy",
        "--strip-debug",
        "--remove-section=__versions",
        real.module(real.newer, "kabi_prop").toString(),
        stripped.toString());
    KernelModule noVersions = KernelModule.read(stripped);
    assertThat(noVersions.versions()).isEmpty();

    Verdict withCrcs = CompatibilityChecker.check(prop, fedoraLike);
    Verdict withoutCrcs = CompatibilityChecker.check(noVersions, fedoraLike);

    // Every symbol "matches" (0 == 0), which is what fooled weak-modules on Fedora ...
    assertThat(withCrcs.finding(Rule.SYMBOL_CRCS).outcome()).isEqualTo(Outcome.PASS);
    assertThat(withoutCrcs.finding(Rule.SYMBOL_CRCS).outcome()).isEqualTo(Outcome.PASS);
    // ... but the kernel compares vermagic, in full when the module has no __versions.
    assertThat(withCrcs.status()).isEqualTo(Status.INCOMPATIBLE);
    assertThat(withCrcs.failures()).extracting(Finding::rule).containsExactly(Rule.VERMAGIC);
    assertThat(withoutCrcs.failures()).extracting(Finding::rule).containsExactly(Rule.VERMAGIC);
    assertThat(withoutCrcs.finding(Rule.VERMAGIC).summary())
        .isEqualTo(
            "version magic '"
                + real.newer
                + " SMP preempt mod_unload modversions ' should be '"
                + release
                + " SMP preempt mod_unload ' (compared in full: the module has no __versions)");
  }

  @Test
  void aDifferentStructModuleSizeIsCaught() {
    long size = prop.thisModuleSize().getAsLong();
    KernelAbi k = older.toBuilder().thisModuleSize(size + 64, "fabricated: RHEL z-stream").build();

    Verdict v = CompatibilityChecker.check(prop, k);

    assertThat(v.failures()).extracting(Finding::rule).containsExactly(Rule.STRUCT_MODULE);
    assertThat(v.finding(Rule.STRUCT_MODULE).evidence().get(0).module()).isEqualTo("" + size);
    assertThat(v.finding(Rule.STRUCT_MODULE).evidence().get(0).kernel())
        .isEqualTo("" + (size + 64));
  }

  @Test
  void moduleLayoutMustMatch() {
    KernelAbi k =
        withSymbol(
            older,
            "module_layout",
            e ->
                new SymbolVersions.Export(e.symbol(), e.crc() + 1, e.module(), e.exportType(), ""));

    assertThat(CompatibilityChecker.check(prop, k).failures())
        .extracting(Finding::rule)
        .containsExactly(Rule.MODULE_LAYOUT);
  }

  @Test
  void builtInOrInstalledTwinsShadowTheModule() {
    KernelAbi builtin = older.toBuilder().builtin(Set.of("kabi_prop"), "fabricated").build();
    KernelAbi installed =
        older.toBuilder()
            .installedModules(Map.of("kabi_prop", "updates/dkms/kabi_prop.ko"), "fabricated")
            .build();

    assertThat(CompatibilityChecker.check(prop, builtin).failures())
        .extracting(Finding::rule)
        .containsExactly(Rule.SHADOWING);
    assertThat(CompatibilityChecker.check(prop, installed).finding(Rule.SHADOWING).summary())
        .isEqualTo(
            "kabi_prop is already installed in " + real.older + " as updates/dkms/kabi_prop.ko");
  }

  @Test
  void enforcedSignaturesRejectUnsignedModulesAndCannotVouchForKeys() {
    KernelAbi k = older.toBuilder().signaturesEnforced(true, "fabricated: SIG_FORCE").build();

    Verdict v = CompatibilityChecker.check(prop, k);

    assertThat(v.failures()).extracting(Finding::rule).containsExactly(Rule.SIGNATURE);
    assertThat(v.finding(Rule.SIGNATURE).evidence().get(0).module()).isEqualTo("unsigned");
  }

  @Test
  void crcsFromDifferentGeneratorsAreNotCompared() {
    KernelAbi k = older.toBuilder().crcGenerator("gendwarfksyms", "fabricated").build();

    assertThat(CompatibilityChecker.check(prop, k).failures())
        .extracting(Finding::rule)
        .containsExactly(Rule.CRC_GENERATOR);
  }

  @Test
  void anotherArchitectureIsRejected() {
    KernelAbi k = older.toBuilder().elf(64, true, 22, "fabricated: s390x").build();

    assertThat(CompatibilityChecker.check(prop, k).failures())
        .extracting(Finding::rule)
        .containsExactly(Rule.ELF);
  }

  @Test
  void jsonCarriesEveryRuleWithItsEvidence() {
    KernelAbi k = older.toBuilder().thisModuleSize(1L, "fabricated").build();
    String json = VerdictFormat.json(k.release(), List.of(CompatibilityChecker.check(prop, k)));

    assertThat(json)
        .startsWith("{\"kernel\":\"" + real.older + "\",\"verdicts\":[{\"module\":\"kabi_prop\"")
        .contains("\"status\":\"incompatible\"")
        .contains("{\"rule\":\"struct_module\",\"number\":6,\"outcome\":\"fail\"");
    for (Rule r : Rule.values()) {
      assertThat(json).contains("\"rule\":\"" + r.id() + "\"");
    }
  }

  /** a → b → c by depends= and symbols; c needs a symbol the kernel lacks; d stands alone. */
  @Test
  void dependencyChainsAreDecidedAllOrNone() {
    KernelAbi k = synthKernel();
    TestElf c = synth("c", "printk", "missing_in_kernel");
    c.exports.put("c_sym", 0x33L);
    TestElf b = synth("b", "printk", "c_sym").modinfo("depends=c");
    b.versions.put("c_sym", 0x33L);
    b.exports.put("b_sym", 0x22L);
    TestElf a = synth("a", "b_sym").modinfo("depends=b");
    a.versions.put("b_sym", 0x22L);
    TestElf d = synth("d", "printk");

    List<Verdict> v = CompatibilityChecker.decide(candidates(a, b, c, d), k);

    assertThat(v)
        .extracting(Verdict::status)
        .containsExactly(
            Status.INCOMPATIBLE, Status.INCOMPATIBLE, Status.INCOMPATIBLE, Status.COMPATIBLE);
    assertThat(v.get(2).finding(Rule.SYMBOL_CRCS).evidence())
        .extracting(Finding.Evidence::subject)
        .containsExactly("missing_in_kernel");
    assertThat(v.get(0).failures()).extracting(Finding::rule).containsExactly(Rule.DEPENDENCIES);

    // Without the missing symbol the whole chain resolves through its own exports.
    TestElf c2 = synth("c", "printk");
    c2.exports.put("c_sym", 0x33L);
    assertThat(CompatibilityChecker.decide(candidates(a, b, c2, d), k))
        .extracting(Verdict::status)
        .containsOnly(Status.COMPATIBLE);
    // A CRC that disagrees with the providing module's __crc_ fails the importer, and the group.
    b.versions.put("c_sym", 0x34L);
    List<Verdict> bad = CompatibilityChecker.decide(candidates(a, b, c2, d), k);
    assertThat(bad.get(1).finding(Rule.SYMBOL_CRCS).evidence().get(0).note())
        .isEqualTo("disagrees about version of symbol (exported by c)");
    assertThat(bad)
        .extracting(Verdict::status)
        .containsExactly(
            Status.INCOMPATIBLE, Status.INCOMPATIBLE, Status.INCOMPATIBLE, Status.COMPATIBLE);
  }

  private static List<Candidate> candidates(TestElf... modules) {
    List<Candidate> out = new ArrayList<>();
    for (TestElf t : modules) {
      try {
        out.add(Candidate.of(KernelModule.parse(t.build(), t.modinfo.get(0).substring(5) + ".ko")));
      } catch (ModuleFormatException e) {
        throw new AssertionError(e);
      }
    }
    return out;
  }

  private static TestElf synth(String name, String... imports) {
    TestElf t =
        new TestElf()
            .modinfo("name=" + name, "license=GPL", "vermagic=5.9.8 SMP mod_unload modversions ");
    t.versions.put("module_layout", 0x11L);
    for (String i : imports) {
      t.imports.add(i);
      if (i.equals("printk") || i.equals("missing_in_kernel")) {
        t.versions.put(i, 0x99L);
      }
    }
    return t;
  }

  private static KernelAbi synthKernel() {
    return KernelAbi.builder("5.9.9")
        .symvers(
            SymbolVersions.parse(
                "0x00000011\tmodule_layout\tvmlinux\tEXPORT_SYMBOL\t\n"
                    + "0x00000099\tprintk\tvmlinux\tEXPORT_SYMBOL\t\n"),
            "fabricated")
        .vermagic("5.9.9 SMP mod_unload modversions ", "fabricated")
        .modversions(true, "fabricated")
        .builtin(Set.of(), "fabricated")
        .installedModules(Map.of(), "fabricated")
        .thisModuleSize(896L, "fabricated")
        .elf(64, false, 62, "fabricated")
        .signaturesEnforced(false, "fabricated")
        .crcGenerator("genksyms", "fabricated")
        .build();
  }
}
