package dev.jdkms.core.kabi;

import dev.jdkms.core.kabi.Finding.Evidence;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The rules about imported symbols (A3 rules 3, 4 and 5): each import resolved against the kernel's
 * exports (or a module of the same group), compared by CRC, namespace and GPL status.
 */
final class SymbolRules {
  /** {@code license_is_gpl_compatible()} of the kernel. */
  private static final Set<String> GPL_COMPATIBLE =
      Set.of(
          "GPL",
          "GPL v2",
          "GPL and additional rights",
          "Dual BSD/GPL",
          "Dual MIT/GPL",
          "Dual MPL/GPL");

  private final KernelModule m;
  private final KernelAbi b;
  private final Map<String, Candidate.Provided> group;
  private final List<Resolved> resolved = new ArrayList<>();
  private final List<Evidence> missing = new ArrayList<>();

  SymbolRules(KernelModule module, KernelAbi kernel, Map<String, Candidate.Provided> group) {
    this.m = module;
    this.b = kernel;
    this.group = group;
    resolve();
  }

  /** An import and who provides it in B. */
  private record Resolved(
      String symbol,
      OptionalLong crc,
      Optional<Boolean> gplOnly,
      String namespace,
      String by,
      boolean fromGroup) {}

  private void resolve() {
    if (b.symvers().isEmpty()) {
      return;
    }
    SymbolVersions sv = b.symvers().get();
    for (KernelModule.Import imp : m.imports()) {
      Optional<SymbolVersions.Export> e = sv.get(imp.name());
      if (e.isPresent()) {
        SymbolVersions.Export x = e.get();
        resolved.add(
            new Resolved(
                x.symbol(),
                OptionalLong.of(x.crc()),
                x.gplOnly(),
                x.namespace(),
                x.module(),
                false));
        continue;
      }
      Candidate.Provided p = group.get(imp.name());
      if (p != null && !p.by().equals(m.name())) {
        resolved.add(new Resolved(p.symbol(), p.crc(), p.gplOnly(), p.namespace(), p.by(), true));
      } else if (!imp.weak()) {
        missing.add(
            new Evidence(
                imp.name(), "imported", "not exported", "unknown symbol in " + b.release()));
      }
    }
  }

  Finding symbols() {
    if (b.symvers().isEmpty()) {
      return Finding.unknown(
          Rule.SYMBOL_CRCS, "no symvers for " + b.release() + ": imports cannot be checked");
    }
    List<Evidence> bad = new ArrayList<>(missing);
    Optional<Boolean> modversions = b.modversions();
    boolean undecided = false;
    if (!modversions.isPresent() || modversions.get()) {
      for (Resolved r : resolved) {
        OptionalLong mine = m.crcOf(r.symbol());
        if (r.crc().isEmpty() || r.crc().getAsLong() == 0) {
          continue; // the exporter has no CRC: the kernel lets it go
        }
        if (mine.isEmpty()) {
          bad.add(
              new Evidence(
                  r.symbol(),
                  "no CRC",
                  RuleSet.hex(r.crc().getAsLong()),
                  m.hasModversions()
                      ? "module records no version for it"
                      : "module has no __versions: only loadable with forced loading (tainting)"));
        } else if (mine.getAsLong() != r.crc().getAsLong()) {
          if (modversions.isEmpty()) {
            undecided = true;
          }
          bad.add(
              new Evidence(
                  r.symbol(),
                  RuleSet.hex(mine.getAsLong()),
                  RuleSet.hex(r.crc().getAsLong()),
                  "disagrees about version of symbol (exported by " + r.by() + ")"));
        }
      }
    }
    if (bad.isEmpty()) {
      String how =
          modversions.orElse(true)
              ? "all " + resolved.size() + " imports exported with equal CRCs"
              : "all " + resolved.size() + " imports exported (CRCs not checked by this kernel)";
      return Finding.pass(Rule.SYMBOL_CRCS, how);
    }
    if (undecided && missing.isEmpty()) {
      return new Finding(
          Rule.SYMBOL_CRCS,
          Finding.Outcome.UNKNOWN,
          "CRCs differ and whether " + b.release() + " checks CRCs is not known",
          bad);
    }
    return Finding.fail(
        Rule.SYMBOL_CRCS, bad.size() + " of " + m.imports().size() + " imports unusable", bad);
  }

  Finding moduleLayout() {
    if (b.modversions().isPresent() && !b.modversions().get()) {
      return Finding.pass(Rule.MODULE_LAYOUT, b.release() + " does not check CRCs");
    }
    if (b.symvers().isEmpty()) {
      return Finding.unknown(Rule.MODULE_LAYOUT, "no symvers for " + b.release());
    }
    OptionalLong mine = m.crcOf("module_layout");
    Optional<SymbolVersions.Export> theirs = b.symvers().get().get("module_layout");
    if (mine.isEmpty() && theirs.isEmpty()) {
      return Finding.pass(Rule.MODULE_LAYOUT, "neither side has a module_layout CRC");
    }
    Evidence ev =
        new Evidence(
            "module_layout",
            mine.isPresent() ? RuleSet.hex(mine.getAsLong()) : "none",
            theirs.isPresent() ? RuleSet.hex(theirs.get().crc()) : "none",
            b.source("symvers"));
    if (mine.isPresent() && theirs.isPresent() && mine.getAsLong() == theirs.get().crc()) {
      return Finding.pass(Rule.MODULE_LAYOUT, "equal", ev);
    }
    return Finding.fail(Rule.MODULE_LAYOUT, "module_layout differs", ev);
  }

  Finding namespaces() {
    if (b.symvers().isEmpty()) {
      return Finding.unknown(Rule.NAMESPACES, "no symvers for " + b.release());
    }
    List<Evidence> bad = new ArrayList<>();
    Set<String> declared = Set.copyOf(m.importNamespaces());
    for (Resolved r : resolved) {
      String ns = r.namespace();
      if (ns.isEmpty()) {
        continue;
      }
      if (ns.startsWith("module:")) {
        bad.add(
            new Evidence(
                r.symbol(), String.join(",", declared), ns, "exported only to in-tree modules"));
      } else if (!declared.contains(ns)) {
        bad.add(
            new Evidence(
                r.symbol(),
                declared.isEmpty() ? "no import_ns" : String.join(",", declared),
                ns,
                "module uses symbol "
                    + r.symbol()
                    + " from namespace "
                    + ns
                    + ", but does not import it"));
      }
    }
    return bad.isEmpty()
        ? Finding.pass(Rule.NAMESPACES, "every namespaced import is declared")
        : Finding.fail(Rule.NAMESPACES, bad.size() + " namespaced imports not declared", bad);
  }

  Finding gplOnly() {
    String license = m.license().orElse("");
    if (GPL_COMPATIBLE.contains(license)) {
      return Finding.pass(
          Rule.GPL_ONLY,
          "licence '" + license + "' is GPL-compatible",
          new Evidence("license", license, "", ""));
    }
    if (b.symvers().isEmpty()) {
      return Finding.unknown(Rule.GPL_ONLY, "no symvers for " + b.release());
    }
    List<Evidence> bad = new ArrayList<>();
    boolean unknown = false;
    for (Resolved r : resolved) {
      if (r.gplOnly().isEmpty()) {
        unknown = true;
      } else if (r.gplOnly().get()) {
        bad.add(
            new Evidence(
                r.symbol(),
                license.isEmpty() ? "no licence" : license,
                "EXPORT_SYMBOL_GPL",
                "GPL-only symbol, exported by " + r.by()));
      }
    }
    if (!bad.isEmpty()) {
      return Finding.fail(Rule.GPL_ONLY, bad.size() + " GPL-only imports in a non-GPL module", bad);
    }
    if (unknown) {
      return Finding.unknown(
          Rule.GPL_ONLY,
          "the symvers of " + b.release() + " does not say which exports are GPL-only");
    }
    return Finding.pass(Rule.GPL_ONLY, "no GPL-only import");
  }
}
