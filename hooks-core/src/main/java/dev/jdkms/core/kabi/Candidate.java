package dev.jdkms.core.kabi;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A module offered to a kernel, with what is known about where it came from: the {@code
 * Module.symvers} its {@code M=} build wrote (the authoritative list of its exports and their
 * namespaces; without it the exports are read from the ELF file), and the ABI of the kernel it was
 * built for (for the CRC-generator rule).
 */
public record Candidate(
    KernelModule module, Optional<SymbolVersions> buildSymvers, Optional<KernelAbi> builtForAbi) {

  public static Candidate of(KernelModule module) {
    return new Candidate(module, Optional.empty(), Optional.empty());
  }

  /** A symbol this module provides to others. */
  record Provided(
      String symbol, OptionalLong crc, Optional<Boolean> gplOnly, String namespace, String by) {}

  /** Its exports, from the build's Module.symvers when that lists it, else from the ELF file. */
  Map<String, Provided> exports() {
    Map<String, Provided> out = new HashMap<>();
    String name = module.name();
    if (buildSymvers.isPresent()) {
      for (SymbolVersions.Export e : buildSymvers.get().asMap().values()) {
        if (e.moduleName().equals(name)) {
          out.put(
              e.symbol(),
              new Provided(e.symbol(), OptionalLong.of(e.crc()), e.gplOnly(), e.namespace(), name));
        }
      }
      if (!out.isEmpty()) {
        return out;
      }
    }
    for (KernelModule.Export e : module.exports().values()) {
      out.put(e.name(), new Provided(e.name(), e.crc(), Optional.of(e.gplOnly()), "", name));
    }
    return out;
  }
}
