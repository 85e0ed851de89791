package dev.jdkms.core.actions;

import dev.jdkms.core.console.Console;

/** The usage text, as upstream prints it after option errors. */
public final class Usage {
  private Usage() {}

  public static void print(Console out) {
    String program = System.getProperty("jdkms.program", "dkms");
    out.lines(
        "Usage: " + program + " [action] [options]",
        "  [action]  = { add | remove | build | unbuild | install | uninstall | match |",
        "               autoinstall | mktarball | ldtarball | status | generate_mok |",
        "               kernel_preinst | kernel_postinst | kernel_prerm }",
        "  [options] = [-m module] [-v module-version] [-k kernel-version] [-a arch]",
        "              [-c dkms.conf-location] [-q] [--force] [--force-version-override] [--all]",
        "              [--templatekernel=kernel] [--directive='cli-directive=cli-value']",
        "              [--config=kernel-include/config/auto.conf-location] [--archive=tarball-location]",
        "              [--kernelsourcedir=source-location] [--rpm_safe_upgrade]",
        "              [--dkmstree path] [--sourcetree path] [--installtree path]",
        "              [--binaries-only] [--source-only] [--verbose]",
        "              [--no-depmod] [--modprobe-on-install] [-j number] [--version] [--help]");
  }
}
