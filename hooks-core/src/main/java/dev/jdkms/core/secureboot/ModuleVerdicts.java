package dev.jdkms.core.secureboot;

import dev.jdkms.core.secureboot.ModuleVerdict.Status;
import dev.jdkms.core.tree.DkmsTree;
import dev.jdkms.core.tree.ModuleStatus;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides, for each module DKMS installed for a kernel, whether that kernel will load it under the
 * Secure Boot state: the kernel accepts a module signed by a key in MokListRT (its machine keyring)
 * or built into it. The built-in keys cannot be read from user space, and whether db's keys count
 * depends on the kernel; the verdicts say so instead of guessing.
 */
public final class ModuleVerdicts {
  /**
   * Mainline kernels put db's keys on the platform keyring, which verifies kexec images, not
   * modules; only some distribution kernels also accept them for modules.
   */
  static final String DB_ONLY =
      "the firmware trusts it, but many kernels (mainline's among them) accept only MOKs and"
          + " their built-in keys for modules";

  private final SecureBootState state;

  public ModuleVerdicts(SecureBootState state) {
    this.state = state;
  }

  /** Verdicts for every module file installed for {@code kernel}, in {@code dkms status} order. */
  public List<ModuleVerdict> installed(DkmsTree tree, String kernel) throws IOException {
    List<ModuleVerdict> out = new ArrayList<>();
    for (ModuleStatus.Entry e : ModuleStatus.entries(tree, "", "", kernel, "")) {
      if (!e.state().equals("installed")) {
        continue;
      }
      Path dir = tree.builtDir(e.module(), e.version(), e.kernel(), e.arch()).resolve("module");
      for (Path file : moduleFiles(dir)) {
        Verdict v = judge(file);
        out.add(new ModuleVerdict(e.module(), e.version(), kernel, file, v.status, v.reason));
      }
    }
    return out;
  }

  /** A status and its reason. */
  record Verdict(Status status, String reason) {}

  /** The verdict for one module file. */
  Verdict judge(Path file) {
    Optional<SignerId> signer;
    try {
      signer = ModuleSigners.read(file);
    } catch (IOException e) {
      return new Verdict(Status.UNKNOWN, "cannot read " + file + ": " + e.getMessage());
    } catch (SecureBootException e) {
      // mod_check_sig() and the PKCS#7 parser fail before any key is looked at: always refused
      return new Verdict(Status.REFUSED, e.getMessage());
    }
    if (!state.enforced()) {
      return new Verdict(Status.LOADS, "the kernel does not enforce module signatures");
    }
    if (signer.isEmpty()) {
      return new Verdict(Status.REFUSED, "not signed");
    }
    Optional<TrustedKey> key = state.signerOf(signer.get());
    if (key.isPresent()) {
      String by = "signed by " + key.get().certificate().subject();
      return switch (key.get().source()) {
        case "MokNew" -> new Verdict(Status.PENDING, by + ", waiting in MokNew for the next boot");
        case "db" -> new Verdict(Status.UNKNOWN, by + ", which is in db only; " + DB_ONLY);
        default -> new Verdict(Status.LOADS, by + ", enrolled in " + key.get().source());
      };
    }
    return new Verdict(
        Status.REFUSED,
        "signed by "
            + signer.get().describe()
            + ", which is in neither MokListRT nor db"
            + (state.mokListRead() ? "" : " (MokListRT not readable)")
            + "; keys built into the kernel cannot be read from here");
  }

  private static List<Path> moduleFiles(Path dir) throws IOException {
    List<Path> files = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return files;
    }
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.ko{,.gz,.xz,.zst}")) {
      s.forEach(files::add);
    }
    files.sort(null);
    return files;
  }
}
