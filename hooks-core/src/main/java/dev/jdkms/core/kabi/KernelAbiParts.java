package dev.jdkms.core.kabi;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Computes one {@link KernelAbi} from the files {@link KernelAbiLoader} found. */
final class KernelAbiParts {
  private final Path root;
  private final String release;
  private final KernelAbiLoader.Inputs in;
  private final Map<Path, byte[]> bytes;
  private final List<Path> refs;
  private final Map<String, String> config = new HashMap<>();

  KernelAbiParts(
      Path root,
      String release,
      KernelAbiLoader.Inputs in,
      Map<Path, byte[]> bytes,
      List<Path> refs) {
    this.root = root;
    this.release = release;
    this.in = in;
    this.bytes = bytes;
    this.refs = refs;
  }

  KernelAbi build() {
    KernelAbi.Builder b = KernelAbi.builder(release);
    SymbolVersions symvers = null;
    if (in.symvers != null) {
      try {
        byte[] raw = bytes.get(in.symvers);
        symvers = SymbolVersions.parse(ModuleCompression.decompress(raw));
        b.symvers(symvers, in.symvers.toString());
      } catch (ModuleFormatException e) {
        b.symvers(null, in.symvers + " is unreadable: " + e.getMessage());
      }
    }
    if (in.config != null) {
      for (String l : text(in.config).split("\n")) {
        if (l.startsWith("CONFIG_")) {
          int eq = l.indexOf('=');
          if (eq > 0) {
            config.put(l.substring(0, eq), l.substring(eq + 1).replace("\"", ""));
          }
        } else if (l.startsWith("# CONFIG_") && l.endsWith(" is not set")) {
          config.put(l.substring(2, l.length() - 11), "n");
        }
      }
    }
    String configSource = in.config == null ? null : in.config.toString();
    InstalledModules modules = new InstalledModules(root, release, refs);
    Map<String, String> installed = in.dep == null ? null : modules.indexed(text(in.dep));
    if (installed != null) {
      b.installedModules(installed, in.dep.toString());
    } else if ((installed = modules.unindexed()) != null) {
      b.installedModules(
          installed, "the module files below lib/modules/" + release + " (no modules.dep yet)");
    }
    if (in.builtin != null) {
      Set<String> builtin = new HashSet<>();
      for (String l : text(in.builtin).split("\n")) {
        if (!l.isBlank()) {
          builtin.add(InstalledModules.moduleName(l.strip()));
        }
      }
      b.builtin(builtin, in.builtin.toString());
    }
    Optional<InstalledModules.Reference> ref = modules.reference(installed);
    if (ref.isPresent()) {
      KernelModule m = ref.get().module();
      b.vermagic(m.vermagic().orElse(null), ref.get().what());
      if (m.thisModuleSize().isPresent()) {
        b.thisModuleSize(m.thisModuleSize().getAsLong(), ref.get().what());
      }
      b.elf(m.elfClass(), m.bigEndian(), m.machine(), ref.get().what());
    } else {
      derivedVermagic().ifPresent(v -> b.vermagic(v, "derived from " + configSource));
      configElf(b, configSource);
    }
    modversions(b, symvers, configSource, ref.isPresent() ? ref.get().module().vermagic() : null);
    signatures(b, configSource);
    crcGenerator(b, configSource);
    return b.build();
  }

  /** {@code include/linux/vermagic.h}, for the two architectures whose suffix is known. */
  private Optional<String> derivedVermagic() {
    if (config.isEmpty()) {
      return Optional.empty();
    }
    String arch;
    if (on("CONFIG_X86_64")) {
      arch = "";
    } else if (on("CONFIG_ARM64")) {
      arch = "aarch64";
    } else {
      return Optional.empty();
    }
    StringBuilder v = new StringBuilder(release).append(' ');
    if (on("CONFIG_SMP")) {
      v.append("SMP ");
    }
    if (on("CONFIG_PREEMPT_BUILD")
        || (!config.containsKey("CONFIG_PREEMPT_BUILD") && on("CONFIG_PREEMPT"))) {
      v.append("preempt ");
    } else if (on("CONFIG_PREEMPT_RT")) {
      v.append("preempt_rt ");
    }
    if (on("CONFIG_MODULE_UNLOAD")) {
      v.append("mod_unload ");
    }
    if (on("CONFIG_MODVERSIONS")) {
      v.append("modversions ");
    }
    v.append(arch);
    if (on("CONFIG_RANDSTRUCT") || on("CONFIG_GCC_PLUGIN_RANDSTRUCT")) {
      if (in.randstruct == null) {
        return Optional.empty();
      }
      String h = text(in.randstruct);
      int q = h.indexOf("RANDSTRUCT_HASHED_SEED");
      int a = q < 0 ? -1 : h.indexOf('"', q);
      int z = a < 0 ? -1 : h.indexOf('"', a + 1);
      if (z < 0) {
        return Optional.empty();
      }
      v.append("RANDSTRUCT_").append(h, a + 1, z);
    }
    return Optional.of(v.toString());
  }

  private void configElf(KernelAbi.Builder b, String source) {
    if (config.isEmpty()) {
      return;
    }
    boolean be = on("CONFIG_CPU_BIG_ENDIAN") || on("CONFIG_S390");
    int cls = on("CONFIG_64BIT") || on("CONFIG_X86_64") ? 64 : 32;
    Integer machine = null;
    if (on("CONFIG_X86_64")) {
      machine = 62;
    } else if (on("CONFIG_X86_32")) {
      machine = 3;
    } else if (on("CONFIG_ARM64")) {
      machine = 183;
    } else if (on("CONFIG_PPC64")) {
      machine = 21;
    } else if (on("CONFIG_S390")) {
      machine = 22;
    } else if (on("CONFIG_RISCV")) {
      machine = 243;
    } else if (on("CONFIG_ARM")) {
      machine = 40;
    }
    if (machine != null) {
      b.elf(cls, be, machine, "derived from " + source);
    }
  }

  private void modversions(
      KernelAbi.Builder b, SymbolVersions symvers, String configSource, Optional<String> refMagic) {
    Boolean on = null;
    String why = null;
    if (!config.isEmpty()) {
      on = on("CONFIG_MODVERSIONS");
      why = configSource + ": CONFIG_MODVERSIONS=" + config.getOrDefault("CONFIG_MODVERSIONS", "n");
    } else if (refMagic != null && refMagic.isPresent()) {
      on = (" " + refMagic.get() + " ").contains(" modversions ");
      why = "vermagic of the reference module";
    }
    if (symvers != null && symvers.size() > 0 && symvers.allCrcsZero()) {
      on = false;
      why = (why == null ? "" : why + "; ") + "every CRC in " + in.symvers + " is 0";
    }
    if (on != null) {
      b.modversions(on, why);
    }
  }

  private void signatures(KernelAbi.Builder b, String source) {
    if (config.isEmpty()) {
      return;
    }
    if (!on("CONFIG_MODULE_SIG")) {
      b.signaturesEnforced(false, source + ": CONFIG_MODULE_SIG is off");
      return;
    }
    if (on("CONFIG_MODULE_SIG_FORCE")) {
      b.signaturesEnforced(true, source + ": CONFIG_MODULE_SIG_FORCE=y");
      return;
    }
    if (on("CONFIG_LOCK_DOWN_KERNEL_FORCE_INTEGRITY")
        || on("CONFIG_LOCK_DOWN_KERNEL_FORCE_CONFIDENTIALITY")) {
      b.signaturesEnforced(true, source + ": lockdown forced by the configuration");
      return;
    }
    String sb = KernelAbiLoader.MachineState.secureBoot(root);
    if (on("CONFIG_LOCK_DOWN_IN_EFI_SECURE_BOOT") && sb.equals("1")) {
      b.signaturesEnforced(true, "Secure Boot is on and " + source + " locks down under it");
      return;
    }
    String running = KernelAbiLoader.MachineState.read(root.resolve("proc/sys/kernel/osrelease"));
    if (running.equals(release)
        && KernelAbiLoader.MachineState.read(
                root.resolve("sys/module/module/parameters/sig_enforce"))
            .equals("Y")) {
      b.signaturesEnforced(true, "module.sig_enforce=Y on the running kernel");
      return;
    }
    if (sb.isEmpty() && on("CONFIG_LOCK_DOWN_IN_EFI_SECURE_BOOT")) {
      b.signaturesEnforced(
          null, "Secure Boot state unknown and " + source + " locks down under it");
      return;
    }
    b.signaturesEnforced(
        false,
        source
            + ": signatures checked but not enforced"
            + (sb.equals("1") ? "" : " (Secure Boot off)"));
  }

  private void crcGenerator(KernelAbi.Builder b, String source) {
    if (!config.isEmpty()) {
      boolean dwarf = on("CONFIG_GENDWARFKSYMS");
      b.crcGenerator(
          dwarf ? "gendwarfksyms" : "genksyms",
          source + ": CONFIG_GENDWARFKSYMS=" + config.getOrDefault("CONFIG_GENDWARFKSYMS", "n"));
    } else if (KernelRelease.before(release, 6, 14)) {
      b.crcGenerator("genksyms", "Linux " + release + " predates gendwarfksyms (6.14)");
    }
  }

  private boolean on(String option) {
    String v = config.get(option);
    return "y".equals(v) || "m".equals(v);
  }

  private String text(Path p) {
    byte[] b = bytes.get(p);
    try {
      b = ModuleCompression.decompress(b);
    } catch (ModuleFormatException e) {
      return "";
    }
    return new String(b, StandardCharsets.ISO_8859_1);
  }
}
