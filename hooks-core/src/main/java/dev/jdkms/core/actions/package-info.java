/**
 * The drop-in's actions on one module, with upstream's console output: {@link
 * dev.jdkms.core.actions.Lifecycle} (add, build, install, uninstall, unbuild, remove), {@link
 * dev.jdkms.core.actions.StatusReport} (status), {@link dev.jdkms.core.actions.Match}, {@link
 * dev.jdkms.core.actions.KernelRemoval} (kernel_preinst, kernel_prerm), and what they share: the
 * preconditions ({@link dev.jdkms.core.actions.Checks}), the kernel/arch defaults, the tree lock
 * and post_transaction. They build on {@code build} and {@code install}; the transaction engine
 * ({@code engine}) builds on them, never the reverse.
 */
package dev.jdkms.core.actions;
