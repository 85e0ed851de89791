package dev.jdkms.core.secureboot;

import dev.jdkms.core.secureboot.SecureBootState.Mode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@link SecureBootState} from a sysfs directory ({@code /sys} on the host, a fabricated tree
 * in tests): efivarfs, shim's {@code mok-variables} table, the kernel's lockdown and {@code
 * sig_enforce}. A variable that cannot be read becomes a line in {@link
 * SecureBootState#problems()}, never a failure of the whole probe: the rest is still worth saying.
 */
public final class SecureBootProbe {
  /** shim splits MokListRT into MokListRT1, 2... when it is too large for one variable. */
  private static final int MAX_MOK_PARTS = 64;

  private static final Pattern LOCKDOWN = Pattern.compile("\\[([a-z]+)\\]");

  private final Path efi;
  private final EfiVariables variables;
  private final Path sys;
  private final List<String> problems = new ArrayList<>();

  private SecureBootProbe(Path sys) {
    this.sys = sys;
    this.efi = sys.resolve("firmware/efi");
    this.variables = new EfiVariables(efi.resolve("efivars"));
  }

  /** The state of the machine whose sysfs is {@code sys} ({@code /sys} on the host). */
  public static SecureBootState read(Path sys) {
    return new SecureBootProbe(sys).probe();
  }

  private SecureBootState probe() {
    Mode mode = mode();
    boolean validationDisabled =
        mode != Mode.NOT_EFI && flag("MokSBStateRT", EfiGuid.SHIM_LOCK).orElse(0) == 1;
    List<TrustedKey> trusted = new ArrayList<>();
    List<TrustedKey> pending = new ArrayList<>();
    boolean mokListRead = false;
    if (mode != Mode.NOT_EFI) {
      Optional<byte[]> mokList = mokList();
      mokListRead = mokList.isPresent();
      mokList.ifPresent(v -> certificates("MokListRT", v, trusted));
      list("db", EfiGuid.IMAGE_SECURITY_DATABASE).ifPresent(v -> certificates("db", v, trusted));
      list("MokNew", EfiGuid.SHIM_LOCK).ifPresent(v -> certificates("MokNew", v, pending));
    }
    return new SecureBootState(
        mode,
        validationDisabled,
        lockdown(),
        sigEnforce(),
        trusted,
        pending,
        mokListRead,
        problems);
  }

  private Mode mode() {
    if (!Files.isDirectory(efi)) {
      return Mode.NOT_EFI;
    }
    if (!variables.mounted()) {
      problems.add("efivarfs is not mounted at " + variables.directory());
      return Mode.UNKNOWN;
    }
    Optional<Integer> secureBoot = flag("SecureBoot", EfiGuid.GLOBAL);
    if (secureBoot.isEmpty()) {
      return Mode.UNKNOWN; // firmware without Secure Boot support, or the read failed
    }
    if (secureBoot.get() == 1) {
      return Mode.ON;
    }
    return flag("SetupMode", EfiGuid.GLOBAL).orElse(0) == 1 ? Mode.SETUP_MODE : Mode.OFF;
  }

  /**
   * MokListRT from the kernel's {@code mok-variables} table (newer shim and kernels: the value
   * without attributes), else from efivarfs, joined with its MokListRT1, 2... parts.
   */
  private Optional<byte[]> mokList() {
    try {
      Optional<byte[]> table =
          EfiVariables.readBounded(efi.resolve("mok-variables/MokListRT"), "MokListRT");
      if (table.isPresent()) {
        return table;
      }
      Optional<byte[]> first = variables.read("MokListRT", EfiGuid.SHIM_LOCK);
      if (first.isEmpty()) {
        return first;
      }
      java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
      all.writeBytes(first.get());
      for (int i = 1; i <= MAX_MOK_PARTS; i++) {
        Optional<byte[]> part = variables.read("MokListRT" + i, EfiGuid.SHIM_LOCK);
        if (part.isEmpty()) {
          break;
        }
        all.writeBytes(part.get());
      }
      return Optional.of(all.toByteArray());
    } catch (SecureBootException e) {
      problems.add(e.getMessage());
      return Optional.empty();
    }
  }

  private Optional<byte[]> list(String name, EfiGuid guid) {
    try {
      return variables.read(name, guid);
    } catch (SecureBootException e) {
      problems.add(e.getMessage());
      return Optional.empty();
    }
  }

  private Optional<Integer> flag(String name, EfiGuid guid) {
    try {
      return variables.flag(name, guid);
    } catch (SecureBootException e) {
      problems.add(e.getMessage());
      return Optional.empty();
    }
  }

  /** The X.509 entries of a signature list; digests are image hashes, not keys for modules. */
  private void certificates(String name, byte[] value, List<TrustedKey> into) {
    List<EfiSignature> entries;
    try {
      entries = EfiSignatureLists.parse(name, value);
    } catch (SecureBootException e) {
      problems.add(e.getMessage());
      return;
    }
    for (int i = 0; i < entries.size(); i++) {
      if (entries.get(i).isX509()) {
        try {
          into.add(
              new TrustedKey(
                  KeyCertificate.parse(entries.get(i).data(), name + " entry " + (i + 1)), name));
        } catch (SecureBootException e) {
          problems.add(e.getMessage()); // one bad entry does not hide the others
        }
      }
    }
  }

  private String lockdown() {
    Optional<String> text = smallText(sys.resolve("kernel/security/lockdown"));
    if (text.isEmpty()) {
      return "";
    }
    Matcher m = LOCKDOWN.matcher(text.get());
    return m.find() ? m.group(1) : "";
  }

  private Optional<Boolean> sigEnforce() {
    return smallText(sys.resolve("module/module/parameters/sig_enforce"))
        .map(String::strip)
        .filter(s -> s.equals("Y") || s.equals("N"))
        .map(s -> s.equals("Y"));
  }

  private static Optional<String> smallText(Path file) {
    try (var in = Files.newInputStream(file)) {
      return Optional.of(new String(in.readNBytes(256), StandardCharsets.US_ASCII));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
