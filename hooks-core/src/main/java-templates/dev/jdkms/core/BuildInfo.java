package dev.jdkms.core;

/**
 * Facts fixed when jdkms is built, filled in from the poms (the templating plugin), so that each
 * has one copy: the parent pom's {@code dkms.compat.version} and the project's version.
 */
public final class BuildInfo {
  /** The upstream dkms release jdkms is a drop-in for: {@code dkms --version} prints dkms-THIS. */
  public static final String DKMS_VERSION = "${dkms.compat.version}";

  /** jdkms's own version (the packages' version). */
  public static final String JDKMS_VERSION = "${project.version}";

  private BuildInfo() {}
}
