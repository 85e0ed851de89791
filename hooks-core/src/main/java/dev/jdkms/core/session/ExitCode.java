package dev.jdkms.core.session;

/**
 * upstream dkms's exit statuses, named for what upstream means by them (the table at the top of
 * {@code dkms.in} 3.4.3). Upstream reuses one number for unrelated failures, and scripts and
 * package-manager hooks test the numbers, so they cannot change; the names say which of the
 * meanings a call site has. Where several names share a value, they are grouped under it. The
 * TARBALL_ ones are for mktarball and ldtarball (the tarball package).
 */
public final class ExitCode {
  private ExitCode() {}

  public static final int SUCCESS = 0;

  // 1: permissions, arguments, and jdkms's own failures that upstream has no status for
  public static final int FAILURE = 1;
  public static final int NOT_ROOT = 1;
  public static final int NO_TREE_WRITE_ACCESS = 1;
  public static final int MODULE_ARGS_MISSING = 1;
  public static final int MATCH_ARGS_INVALID = 1;
  public static final int KERNEL_ARCH_COUNT_MISMATCH = 1;

  /** A module name or version that would escape its directory (jdkms's own check). */
  public static final int NAME_INVALID = 1;

  public static final int TEMP_DIR_FAILED = 1;

  // 2: the command line, or a source that is not there
  /** upstream's {@code Unknown option}; jdkms's own commands use it for any usage error. */
  public static final int USAGE = 2;

  public static final int KERNEL_WITH_ALL = 2;
  public static final int TEMPLATE_IS_TARGET = 2;
  public static final int SOURCE_DIR_MISSING = 2;
  public static final int TARBALL_MISSING = 2;

  // 3: the module is (or is not) in the tree
  public static final int ARCH_WITH_ALL = 3;
  public static final int MODULE_NOT_IN_TREE = 3;
  public static final int ALREADY_ADDED = 3;
  public static final int ALREADY_BUILT = 3;
  public static final int TARBALL_WITHOUT_CONF = 3;

  // 4
  public static final int MORE_THAN_ONE_ACTION = 4;
  public static final int OS_RELEASE_MISSING = 4;
  public static final int CONF_MISSING = 4;
  public static final int ONE_KERNEL_ONLY = 4;
  public static final int MODULE_BROKEN = 4;

  // 5
  public static final int ALL_NOT_SUPPORTED = 5;
  public static final int PATCH_INVALID = 5;
  public static final int ALREADY_INSTALLED = 5;

  // 6: installing, patching
  public static final int PATCH_FAILED = 6;
  public static final int KERNEL_DIR_MISSING = 6;
  public static final int INSTALL_ABORTED = 6;
  public static final int DEPMOD_FAILED = 6;
  public static final int BUILT_MODULE_MISSING_AT_INSTALL = 6;
  public static final int NOT_BUILT_FOR_TARBALL = 6;
  public static final int TARBALL_FAILED = 6;

  /** jdkms: a prebuilt package provides the module for the kernel; its files are not replaced. */
  public static final int PROVIDED_BY_PACKAGE = 6;

  // 7: a build that produced no module
  public static final int BUILT_MODULE_MISSING = 7;
  public static final int BUILD_MOVE_FAILED = 7;
  public static final int TARBALL_CONF_INVALID = 7;

  // 8
  public static final int BINARIES_AND_SOURCE_ONLY = 8;
  public static final int BAD_CONF = 8;
  public static final int NO_MODULE_SOURCE = 8;
  public static final int TARBALL_ALREADY_ADDED = 8;

  // 9
  public static final int SOURCE_TREE_WITHOUT_CONF = 9;
  public static final int TARBALL_DEST_NOT_WRITABLE = 9;
  public static final int RPM_INSTALL_FAILED = 9;

  // 10
  public static final int SOURCE_TREE_CONF_MALFORMED = 10;

  /** make failed, or built a module for another kernel (jdkms's vermagic check). */
  public static final int MAKE_FAILED = 10;

  public static final int AUTOINSTALL_FAILED = 11;
  public static final int NO_ARCH = 12;
  public static final int BUILD_DEPENDS_MISSING = 13;

  /** {@code kernel_preinst} or {@code kernel_prerm} failed for a module. */
  public static final int KERNEL_ACTION_FAILED = 14;

  public static final int CD_FAILED = 15;
  public static final int KERNEL_OR_ARCH_EMPTY = 16;
  public static final int KERNEL_HEADERS_MISSING = 21;

  /**
   * Not built because BUILD_EXCLUSIVE excludes this kernel: autoinstall and the hooks count it as
   * skipped, not failed.
   */
  public static final int SKIPPED = 77;

  public static final int PRE_INSTALL_FAILED = 101;
}
