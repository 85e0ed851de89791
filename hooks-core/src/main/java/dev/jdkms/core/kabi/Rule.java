package dev.jdkms.core.kabi;

/**
 * The conditions under which a kernel loads a module built for another kernel (reference A3).
 * Numbers follow the reference; {@link #MODULE_LAYOUT} is the part of rule 3 that the kernel checks
 * before any symbol.
 */
public enum Rule {
  ELF(1, "elf", "same ELF class, byte order and machine"),
  VERMAGIC(2, "vermagic", "vermagic accepted by the kernel's same_magic()"),
  SYMBOL_CRCS(3, "symbols", "every import exported by the kernel with the same CRC"),
  MODULE_LAYOUT(3, "module_layout", "module_layout CRC equal"),
  NAMESPACES(4, "namespaces", "every namespaced import declared with import_ns"),
  GPL_ONLY(5, "gpl_only", "no GPL-only import unless the licence is GPL-compatible"),
  STRUCT_MODULE(6, "struct_module", "struct module size equal (.gnu.linkonce.this_module)"),
  DEPENDENCIES(7, "dependencies", "every depends= module available, groups all-or-none"),
  SHADOWING(8, "shadowing", "no built-in or installed module of the same name"),
  SIGNATURE(9, "signature", "signature acceptable to the kernel"),
  CRC_GENERATOR(10, "crc_generator", "CRCs made by the same generator on both kernels");

  private final int number;
  private final String id;
  private final String description;

  Rule(int number, String id, String description) {
    this.number = number;
    this.id = id;
    this.description = description;
  }

  public int number() {
    return number;
  }

  /** A stable machine-readable name (JSON). */
  public String id() {
    return id;
  }

  public String description() {
    return description;
  }
}
