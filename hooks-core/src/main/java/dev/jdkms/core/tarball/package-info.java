/**
 * DKMS tarballs: {@code dkms mktarball} ({@link dev.jdkms.core.tarball.MkTarball}) and {@code dkms
 * ldtarball} / {@code dkms add FILE} ({@link dev.jdkms.core.tarball.LdTarball}), with upstream's
 * layout ({@link dev.jdkms.core.tarball.DkmsTarball}), messages and exit statuses.
 *
 * <p>Archives are written and read in Java ({@link dev.jdkms.core.tarball.TarballWriter}, {@link
 * dev.jdkms.core.tarball.SafeExtractor}, commons-compress): GNU tar reads what jdkms writes and
 * jdkms reads what upstream's {@code tar -caf} writes, in every compression {@code tar -a} picks
 * from a name ({@link dev.jdkms.core.compress.Compression}). Reading recognises the compression by
 * its magic bytes and decodes gzip, bzip2, xz, lzma, lz4 and zstd in Java ({@link
 * dev.jdkms.core.compress.Decompression}); lzip, lzop and compress(1) data, and writing zstd, go
 * through the programs GNU tar runs (upstream needs the {@code zstd} program for a {@code .tar.zst}
 * anyway).
 *
 * <p>Loading never trusts the archive: it is extracted into a private directory with every member
 * checked first, the result is validated completely, and only then copied into {@code /usr/src} and
 * the DKMS tree through a {@link dev.jdkms.core.tarball.LoadTransaction} that a failure or an
 * interruption undoes. The archive's dkms.conf is still sourced by bash, as upstream does: loading
 * a tarball means trusting its recipe, only the extraction itself is made safe.
 */
package dev.jdkms.core.tarball;
