/**
 * One plan per kernel transaction: the core every package-manager hook shares.
 *
 * <p>An adapter (apt, rpm, pacman, kernel-install) translates its protocol into {@link
 * dev.jdkms.core.plan.Event}s; the {@link dev.jdkms.core.plan.Planner} turns one batch into one
 * {@link dev.jdkms.core.plan.Plan} from an {@link dev.jdkms.core.plan.Inventory} of the machine
 * (pure: it reads, never writes); the {@link dev.jdkms.core.plan.BuildScheduler} runs the plan's
 * kernel jobs — builds of different modules and kernels at once under one GNU make {@link
 * dev.jdkms.core.plan.Jobserver} budget, installs per kernel in upstream's order, each unit's
 * console output replayed in that order — and reports per module and kernel what happened. {@code
 * dev.jdkms.core.engine.Transaction} ties it to the drop-in's actions (registrations, teardowns,
 * removals, depmod once per kernel, the initramfs decision, post_transaction once); {@code dkms
 * autoinstall} and {@code kernel_postinst} run through the same executor.
 */
package dev.jdkms.core.plan;
