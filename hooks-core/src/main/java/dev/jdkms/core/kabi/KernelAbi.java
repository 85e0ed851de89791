package dev.jdkms.core.kabi;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The ABI of one kernel release, as far as module loading depends on it: its exported symbols with
 * CRCs, namespaces and GPL status, its vermagic, whether it checks CRCs (MODVERSIONS), which
 * modules are built in or installed, the size of its {@code struct module}, its ELF flavour,
 * whether it enforces module signatures, and which CRC generator built it. Every part is optional:
 * a missing part makes the rules that need it answer "unknown", never "compatible". Each present
 * part records where it came from ({@link #sources()}), which verdicts quote as evidence.
 *
 * <p>Built by {@link KernelAbiLoader} from a system's files (and cached by content there), or with
 * {@link #builder} for fabricated kernels. Immutable and thread-safe.
 */
public final class KernelAbi {
  /** Where each part came from, by part name ("symvers", "vermagic", ...). */
  private final Map<String, String> sources;

  private final String release;
  private final SymbolVersions symvers;
  private final String vermagic;
  private final Boolean modversions;
  private final Set<String> builtin;
  private final Map<String, String> installed;
  private final Long thisModuleSize;
  private final Integer elfClass;
  private final Boolean bigEndian;
  private final Integer machine;
  private final Boolean signaturesEnforced;
  private final String crcGenerator;

  private KernelAbi(Builder b) {
    this.release = b.release;
    this.symvers = b.symvers;
    this.vermagic = b.vermagic;
    this.modversions = b.modversions;
    this.builtin = b.builtin == null ? null : Set.copyOf(b.builtin);
    this.installed = b.installed == null ? null : Map.copyOf(b.installed);
    this.thisModuleSize = b.thisModuleSize;
    this.elfClass = b.elfClass;
    this.bigEndian = b.bigEndian;
    this.machine = b.machine;
    this.signaturesEnforced = b.signaturesEnforced;
    this.crcGenerator = b.crcGenerator;
    this.sources = Map.copyOf(b.sources);
  }

  public static Builder builder(String release) {
    return new Builder(release);
  }

  /** A builder holding this ABI's parts, to derive a variant (tests: one CRC changed). */
  public Builder toBuilder() {
    Builder b = new Builder(release);
    b.symvers = symvers;
    b.vermagic = vermagic;
    b.modversions = modversions;
    b.builtin = builtin;
    b.installed = installed;
    b.thisModuleSize = thisModuleSize;
    b.elfClass = elfClass;
    b.bigEndian = bigEndian;
    b.machine = machine;
    b.signaturesEnforced = signaturesEnforced;
    b.crcGenerator = crcGenerator;
    b.sources.putAll(sources);
    return b;
  }

  public String release() {
    return release;
  }

  public Optional<SymbolVersions> symvers() {
    return Optional.ofNullable(symvers);
  }

  /** The whole vermagic string, as {@code init_module} compares it. */
  public Optional<String> vermagic() {
    return Optional.ofNullable(vermagic);
  }

  /** Whether the kernel checks symbol CRCs (CONFIG_MODVERSIONS with real CRCs). */
  public Optional<Boolean> modversions() {
    return Optional.ofNullable(modversions);
  }

  /** Names ({@code _} for {@code -}) of modules built into the image ({@code modules.builtin}). */
  public Optional<Set<String>> builtin() {
    return Optional.ofNullable(builtin);
  }

  /**
   * Installed module files by name ({@code _} for {@code -}): the path below {@code
   * /lib/modules/K}, e.g. {@code kernel/fs/zfs/zfs.ko} or {@code updates/dkms/zfs.ko}.
   */
  public Optional<Map<String, String>> installedModules() {
    return Optional.ofNullable(installed);
  }

  /** {@code sizeof(struct module)} as built into this kernel's modules. */
  public OptionalLong thisModuleSize() {
    return thisModuleSize == null ? OptionalLong.empty() : OptionalLong.of(thisModuleSize);
  }

  public Optional<Integer> elfClass() {
    return Optional.ofNullable(elfClass);
  }

  public Optional<Boolean> bigEndian() {
    return Optional.ofNullable(bigEndian);
  }

  public Optional<Integer> machine() {
    return Optional.ofNullable(machine);
  }

  /** Whether an unsigned module, or one signed by an untrusted key, is refused. */
  public Optional<Boolean> signaturesEnforced() {
    return Optional.ofNullable(signaturesEnforced);
  }

  /** {@code genksyms} or {@code gendwarfksyms}. */
  public Optional<String> crcGenerator() {
    return Optional.ofNullable(crcGenerator);
  }

  /** Where a part came from ("" when unknown). */
  public String source(String part) {
    return sources.getOrDefault(part, "");
  }

  public Map<String, String> sources() {
    return sources;
  }

  @Override
  public String toString() {
    return "KernelAbi[" + release + ", " + sources + "]";
  }

  /** Collects the parts; {@code null} or unset means unknown. */
  public static final class Builder {
    private final String release;
    private final Map<String, String> sources = new java.util.HashMap<>();
    private SymbolVersions symvers;
    private String vermagic;
    private Boolean modversions;
    private Set<String> builtin;
    private Map<String, String> installed;
    private Long thisModuleSize;
    private Integer elfClass;
    private Boolean bigEndian;
    private Integer machine;
    private Boolean signaturesEnforced;
    private String crcGenerator;

    private Builder(String release) {
      this.release = release;
    }

    private Builder note(String part, String source) {
      if (source != null) {
        sources.put(part, source);
      } else {
        sources.remove(part);
      }
      return this;
    }

    public Builder symvers(SymbolVersions v, String source) {
      symvers = v;
      return note("symvers", source);
    }

    public Builder vermagic(String v, String source) {
      vermagic = v;
      return note("vermagic", source);
    }

    public Builder modversions(Boolean v, String source) {
      modversions = v;
      return note("modversions", source);
    }

    public Builder builtin(Set<String> v, String source) {
      builtin = v;
      return note("builtin", source);
    }

    public Builder installedModules(Map<String, String> v, String source) {
      installed = v;
      return note("installed", source);
    }

    public Builder thisModuleSize(Long v, String source) {
      thisModuleSize = v;
      return note("thisModuleSize", source);
    }

    public Builder elf(Integer elfClass, Boolean bigEndian, Integer machine, String source) {
      this.elfClass = elfClass;
      this.bigEndian = bigEndian;
      this.machine = machine;
      return note("elf", source);
    }

    public Builder signaturesEnforced(Boolean v, String source) {
      signaturesEnforced = v;
      return note("signatures", source);
    }

    public Builder crcGenerator(String v, String source) {
      crcGenerator = v;
      return note("crcGenerator", source);
    }

    public KernelAbi build() {
      return new KernelAbi(this);
    }
  }
}
