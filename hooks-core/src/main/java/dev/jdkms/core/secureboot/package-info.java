/**
 * Secure Boot help: what the firmware and shim say about the keys modules are signed with, read
 * from efivarfs without mokutil or root ({@link dev.jdkms.core.secureboot.SecureBootProbe}), which
 * installed modules the running kernel will load and why ({@link
 * dev.jdkms.core.secureboot.ModuleVerdicts}), the notice a build gives when it signed with a key
 * the firmware does not trust ({@link dev.jdkms.core.secureboot.SecureBootNotice}), and the report
 * of {@code jdkms secureboot} ({@link dev.jdkms.core.secureboot.SecureBootReport}).
 *
 * <p>Host paths come from the caller (the sysfs directory), so tests fabricate {@code /sys}. Every
 * size read from a variable or a signature is checked before use: these bytes come from firmware
 * and files anyone may have crafted, and the only failure they may cause is {@link
 * dev.jdkms.core.secureboot.SecureBootException}.
 */
package dev.jdkms.core.secureboot;
