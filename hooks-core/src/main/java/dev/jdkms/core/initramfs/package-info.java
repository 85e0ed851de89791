/**
 * The initramfs decision after a transaction: which generator the host uses ({@link
 * dev.jdkms.core.initramfs.Generator}), where a kernel's image is ({@link
 * dev.jdkms.core.initramfs.ImageLocator}), what is inside it ({@link
 * dev.jdkms.core.initramfs.InitramfsImage}: early cpio, then gzip, xz, zstd, lz4, lzma or bzip2),
 * and whether it must be rebuilt ({@link dev.jdkms.core.initramfs.InitramfsPolicy}).
 */
package dev.jdkms.core.initramfs;
