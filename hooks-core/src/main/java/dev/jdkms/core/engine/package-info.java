/**
 * The transaction engine: {@link dev.jdkms.core.engine.Transaction} plans a batch of events and
 * runs it under the tree lock ({@link dev.jdkms.core.engine.JobRunner} runs the kernel jobs on the
 * parallel executor with one jobserver, {@link dev.jdkms.core.engine.ActionSteps} does each unit
 * with the drop-in's actions, {@link dev.jdkms.core.engine.InitramfsStep} and {@link
 * dev.jdkms.core.engine.WeakLinksStep} follow, {@link dev.jdkms.core.engine.TransactionReport}
 * prints the summary). {@link dev.jdkms.core.engine.Autoinstall} ({@code dkms autoinstall}, {@code
 * kernel_postinst}) is a one-kernel run of the same engine.
 */
package dev.jdkms.core.engine;
