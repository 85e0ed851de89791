/**
 * The drop-in {@code dkms} command: {@link dev.jdkms.core.dkms.Dkms} does upstream's start-up
 * (os-release, framework.conf), checks the request and dispatches it to an action ({@code actions})
 * or to the engine ({@code engine}, for autoinstall).
 */
package dev.jdkms.core.dkms;
