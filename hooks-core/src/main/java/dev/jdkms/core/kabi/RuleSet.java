package dev.jdkms.core.kabi;

import dev.jdkms.core.kabi.Finding.Evidence;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The rules of A3 for one candidate module against one kernel (rules 3-5: {@link SymbolRules}). */
final class RuleSet {
  private final Candidate candidate;
  private final KernelModule m;
  private final KernelAbi b;
  private final Map<String, Candidate.Provided> group;
  private final Set<String> groupNames;

  RuleSet(
      Candidate candidate,
      KernelAbi kernel,
      Map<String, Candidate.Provided> group,
      Set<String> groupNames) {
    this.candidate = candidate;
    this.m = candidate.module();
    this.b = kernel;
    this.group = group;
    this.groupNames = groupNames;
  }

  Verdict verdict() {
    List<Finding> f = new ArrayList<>();
    SymbolRules symbols = new SymbolRules(m, b, group);
    f.add(elf());
    f.add(vermagic());
    f.add(symbols.symbols());
    f.add(symbols.moduleLayout());
    f.add(symbols.namespaces());
    f.add(symbols.gplOnly());
    f.add(structModule());
    f.add(dependencies());
    f.add(shadowing());
    f.add(signature());
    f.add(crcGenerator());
    return new Verdict(m.name(), m.source(), m.builtFor().orElse(""), b.release(), f);
  }

  private Finding elf() {
    if (b.elfClass().isEmpty() || b.machine().isEmpty() || b.bigEndian().isEmpty()) {
      return Finding.unknown(Rule.ELF, "the ELF flavour of " + b.release() + " is not known");
    }
    String mine = elfName(m.elfClass(), m.bigEndian(), m.machine());
    String theirs = elfName(b.elfClass().get(), b.bigEndian().get(), b.machine().get());
    Evidence ev = new Evidence("elf", mine, theirs, b.source("elf"));
    return mine.equals(theirs)
        ? Finding.pass(Rule.ELF, mine, ev)
        : Finding.fail(Rule.ELF, "module is " + mine + ", kernel is " + theirs, ev);
  }

  private static String elfName(int cls, boolean be, int machine) {
    return "ELF" + cls + (be ? " big-endian" : " little-endian") + " machine " + machine;
  }

  private Finding vermagic() {
    Optional<String> mine = m.vermagic();
    if (mine.isEmpty()) {
      return Finding.fail(
          Rule.VERMAGIC,
          "the module has no vermagic; the kernel refuses it (\"no version magic\")",
          new Evidence("vermagic", "", b.vermagic().orElse(""), ""));
    }
    if (b.vermagic().isEmpty()) {
      return Finding.unknown(
          Rule.VERMAGIC,
          "the vermagic of " + b.release() + " is not known",
          new Evidence("vermagic", mine.get(), "", ""));
    }
    boolean hasCrcs = m.versions().isPresent();
    String a = mine.get();
    String k = b.vermagic().get();
    boolean same = hasCrcs ? afterFirstSpace(a).equals(afterFirstSpace(k)) : a.equals(k);
    String how =
        hasCrcs
            ? "compared from the first space: the module has __versions"
            : "compared in full: the module has no __versions";
    Evidence ev = new Evidence("vermagic", a, k, how + "; kernel's from " + b.source("vermagic"));
    if (same) {
      return Finding.pass(Rule.VERMAGIC, how, ev);
    }
    return Finding.fail(
        Rule.VERMAGIC, "version magic '" + a + "' should be '" + k + "' (" + how + ")", ev);
  }

  private static String afterFirstSpace(String s) {
    int i = s.indexOf(' ');
    return i < 0 ? "" : s.substring(i);
  }

  private Finding structModule() {
    if (m.thisModuleSize().isEmpty()) {
      return Finding.fail(
          Rule.STRUCT_MODULE, "the module has no .gnu.linkonce.this_module section");
    }
    long mine = m.thisModuleSize().getAsLong();
    if (b.thisModuleSize().isEmpty()) {
      return Finding.unknown(
          Rule.STRUCT_MODULE,
          "the struct module size of " + b.release() + " is not known (no module built for it)",
          new Evidence("struct module", Long.toString(mine), "", ""));
    }
    long theirs = b.thisModuleSize().getAsLong();
    Evidence ev =
        new Evidence(
            "struct module",
            Long.toString(mine),
            Long.toString(theirs),
            b.source("thisModuleSize"));
    return mine == theirs
        ? Finding.pass(Rule.STRUCT_MODULE, mine + " bytes", ev)
        : Finding.fail(
            Rule.STRUCT_MODULE,
            ".gnu.linkonce.this_module section size must match the kernel's built struct module"
                + " size",
            ev);
  }

  private Finding dependencies() {
    List<Evidence> bad = new ArrayList<>();
    boolean unknown = false;
    for (String dep : m.depends()) {
      String d = dep.replace('-', '_');
      if (groupNames.contains(d)) {
        continue;
      }
      boolean builtin = b.builtin().map(s -> s.contains(d)).orElse(false);
      String installed = b.installedModules().map(s -> s.get(d)).orElse(null);
      if (builtin || (installed != null && !installed.startsWith("weak-updates/"))) {
        continue;
      }
      if (b.builtin().isEmpty() || b.installedModules().isEmpty()) {
        unknown = true;
        bad.add(new Evidence(d, "depends", "not known", "modules of " + b.release() + " unknown"));
      } else {
        bad.add(
            new Evidence(
                d, "depends", "absent", "neither built into nor installed in " + b.release()));
      }
    }
    if (bad.isEmpty()) {
      return Finding.pass(Rule.DEPENDENCIES, "depends=" + String.join(",", m.depends()));
    }
    if (unknown && bad.stream().allMatch(e -> e.kernel().equals("not known"))) {
      return new Finding(
          Rule.DEPENDENCIES, Finding.Outcome.UNKNOWN, "dependencies cannot be located", bad);
    }
    return Finding.fail(Rule.DEPENDENCIES, "missing dependencies", bad);
  }

  private Finding shadowing() {
    String name = m.name();
    if (b.builtin().isPresent() && b.builtin().get().contains(name)) {
      return Finding.fail(
          Rule.SHADOWING,
          name + " is built into " + b.release(),
          new Evidence(name, m.source(), "built-in", b.source("builtin")));
    }
    if (b.installedModules().isPresent()) {
      String path = b.installedModules().get().get(name);
      if (path != null && !path.startsWith("weak-updates/") && !sameFile(path)) {
        return Finding.fail(
            Rule.SHADOWING,
            name + " is already installed in " + b.release() + " as " + path,
            new Evidence(name, m.source(), path, "depmod prefers it over weak-updates"));
      }
    }
    if (b.builtin().isEmpty() || b.installedModules().isEmpty()) {
      return Finding.unknown(
          Rule.SHADOWING, "modules.builtin or modules.dep of " + b.release() + " not found");
    }
    return Finding.pass(Rule.SHADOWING, "no module of the same name");
  }

  private boolean sameFile(String rel) {
    try {
      java.nio.file.Path mine = java.nio.file.Path.of(m.source()).toRealPath();
      return mine.endsWith(rel) && mine.toString().contains("/lib/modules/" + b.release() + "/");
    } catch (java.io.IOException | RuntimeException e) {
      return false;
    }
  }

  private Finding signature() {
    Optional<SignatureInfo> sig = m.signature();
    if (sig.isPresent() && !sig.get().wellFormed()) {
      return Finding.fail(
          Rule.SIGNATURE,
          "malformed signature trailer: every kernel refuses the module",
          new Evidence("signature", "malformed", "", ""));
    }
    Evidence ev =
        new Evidence(
            "signature",
            sig.map(s -> "signer '" + s.signer() + "', key " + s.keyId() + ", " + s.hashAlgorithm())
                .orElse("unsigned"),
            b.signaturesEnforced().map(e -> e ? "enforced" : "not enforced").orElse("unknown"),
            b.source("signatures"));
    if (b.signaturesEnforced().isEmpty()) {
      return Finding.unknown(
          Rule.SIGNATURE, "whether " + b.release() + " enforces signatures is not known", ev);
    }
    if (!b.signaturesEnforced().get()) {
      return Finding.pass(Rule.SIGNATURE, "signatures not enforced", ev);
    }
    if (sig.isEmpty()) {
      return Finding.fail(
          Rule.SIGNATURE, b.release() + " enforces signatures; module unsigned", ev);
    }
    return Finding.unknown(
        Rule.SIGNATURE,
        b.release() + " enforces signatures; whether it trusts the signing key cannot be checked",
        ev);
  }

  private Finding crcGenerator() {
    if (b.modversions().isPresent() && !b.modversions().get()) {
      return Finding.pass(Rule.CRC_GENERATOR, b.release() + " does not check CRCs");
    }
    Optional<String> theirs = b.crcGenerator();
    Optional<String> mine = candidate.builtForAbi().flatMap(KernelAbi::crcGenerator);
    String a = m.builtFor().orElse("");
    if (mine.isEmpty() && KernelRelease.before(a, 6, 14)) {
      mine = Optional.of("genksyms");
    }
    if (theirs.isEmpty() || mine.isEmpty()) {
      return Finding.unknown(
          Rule.CRC_GENERATOR,
          "CRC generator of " + (theirs.isEmpty() ? b.release() : a) + " not known",
          new Evidence("generator", mine.orElse(""), theirs.orElse(""), ""));
    }
    Evidence ev = new Evidence("generator", mine.get(), theirs.get(), b.source("crcGenerator"));
    return mine.equals(theirs)
        ? Finding.pass(Rule.CRC_GENERATOR, mine.get(), ev)
        : Finding.fail(Rule.CRC_GENERATOR, "CRCs from different generators are not comparable", ev);
  }

  static String hex(long crc) {
    return String.format("0x%08x", crc);
  }
}
