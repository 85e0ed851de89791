/**
 * Kernel module signing without external programs: what upstream dkms does with {@code openssl req}
 * (creating the Machine Owner Key, {@link dev.jdkms.core.sign.MokGenerator}) and with the kernel's
 * {@code scripts/sign-file} ({@link dev.jdkms.core.sign.ModuleSigner}), plus reading the signature
 * trailer of a module ({@link dev.jdkms.core.sign.ModuleSignature}).
 *
 * <p>The output is bit-for-bit what the C tools produce for the same key, so a kernel or {@code
 * modinfo} cannot tell the difference. Only BouncyCastle's lightweight API is used: no JCA provider
 * is registered, nothing is looked up by reflection, and there is no static mutable state, which
 * keeps the package usable from a native image.
 */
package dev.jdkms.core.sign;
