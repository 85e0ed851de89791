package dev.jdkms.core.secureboot;

/**
 * A certificate the firmware or shim holds, and where: {@code MokListRT} (enrolled MOKs, which the
 * kernel trusts for modules), {@code db} (the firmware's allowed keys, trusted by the kernel's
 * platform keyring) or {@code MokNew} (waiting for MokManager at the next boot).
 */
public record TrustedKey(KeyCertificate certificate, String source) {}
