package dev.jdkms.core.secureboot;

import java.util.List;
import java.util.Optional;

/**
 * What the firmware, shim and the running kernel say about module signatures, read once.
 *
 * @param mode Secure Boot as the firmware reports it
 * @param validationDisabled shim's MokSBStateRT: the user turned shim's validation off, so the
 *     kernel does not lock down
 * @param lockdown the kernel's lockdown mode ({@code none}, {@code integrity}, {@code
 *     confidentiality}), empty when unknown
 * @param sigEnforce {@code module.sig_enforce}, empty when unknown
 * @param trusted certificates in MokListRT and db
 * @param pending certificates in MokNew
 * @param mokListRead whether MokListRT could be read (it is absent without shim or MOKs)
 * @param problems variables that could not be read, one line each
 */
public record SecureBootState(
    Mode mode,
    boolean validationDisabled,
    String lockdown,
    Optional<Boolean> sigEnforce,
    List<TrustedKey> trusted,
    List<TrustedKey> pending,
    boolean mokListRead,
    List<String> problems) {

  /** Secure Boot as the firmware reports it. */
  public enum Mode {
    /** No {@code /sys/firmware/efi}: BIOS boot, or a container without it. */
    NOT_EFI,
    /** EFI, but efivarfs is not mounted or SecureBoot is not readable. */
    UNKNOWN,
    OFF,
    ON,
    /** No platform key enrolled yet: the firmware checks nothing. */
    SETUP_MODE
  }

  public SecureBootState {
    trusted = List.copyOf(trusted);
    pending = List.copyOf(pending);
    problems = List.copyOf(problems);
  }

  /**
   * Whether the running kernel refuses modules without a trusted signature: {@code sig_enforce}, or
   * lockdown, which Debian's, Ubuntu's and Fedora's kernels turn on under Secure Boot. When
   * lockdown is not readable, Secure Boot being on (and shim validating) is taken to mean yes.
   */
  public boolean enforced() {
    if (sigEnforce.orElse(false)
        || lockdown.equals("integrity")
        || lockdown.equals("confidentiality")) {
      return true;
    }
    // sig_enforce=N says nothing under lockdown, so only a known "none" rules Secure Boot out
    return !lockdown.equals("none") && mode == Mode.ON && !validationDisabled;
  }

  /** Where {@code certificate} is trusted, pending, or empty when the firmware does not have it. */
  public Optional<TrustedKey> find(KeyCertificate certificate) {
    for (List<TrustedKey> keys : List.of(trusted, pending)) {
      for (TrustedKey k : keys) {
        if (k.certificate().sameAs(certificate)) {
          return Optional.of(k);
        }
      }
    }
    return Optional.empty();
  }

  /** The trusted (then pending) key that signed a module, if the firmware has it. */
  public Optional<TrustedKey> signerOf(SignerId signer) {
    for (List<TrustedKey> keys : List.of(trusted, pending)) {
      for (TrustedKey k : keys) {
        if (k.certificate().isSignerOf(signer)) {
          return Optional.of(k);
        }
      }
    }
    return Optional.empty();
  }
}
