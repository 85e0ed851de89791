package dev.jdkms.core.conf;

/**
 * One kernel module a dkms.conf builds: record {@code #index} of the BUILT_/DEST_ arrays, after
 * defaults and the distribution's destination override were applied.
 *
 * @param builtLocation path relative to the build dir, empty or ending in {@code /}
 * @param destLocation where it is installed under {@code /lib/modules/K} (overridden per distro)
 * @param rawDestLocation DEST_MODULE_LOCATION as written (still searched at uninstall)
 */
public record ModuleRecord(
    int index,
    String builtName,
    String builtLocation,
    String destName,
    String destLocation,
    String rawDestLocation,
    boolean strip) {}
