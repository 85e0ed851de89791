package dev.jdkms.cli;

import java.io.PrintStream;
import java.util.List;

/**
 * {@code jdkms}, {@code jdkms --help}: every command with one line each. Written by hand because
 * the hand-parsed commands (hook, transaction, plan) never reach picocli, which knows only kabi.
 * Each command answers {@code --help} itself.
 */
final class JdkmsHelp {
  /** A command and what it does, in one line. */
  record Entry(String usage, String summary) {}

  static final List<Entry> COMMANDS =
      List.of(
          new Entry(
              "transaction EVENT...",
              "run one kernel transaction: plan, build, install, depmod, initramfs"),
          new Entry("plan EVENT...", "show the plan of a transaction, changing nothing"),
          new Entry("kabi check ...", "which built modules another kernel would load, and why"),
          new Entry("kabi weak-updates ...", "decide and make a kernel's weak-updates links"),
          new Entry(
              "secureboot [-k K]",
              "Secure Boot, the signing key's enrolment, which modules will load"),
          new Entry(
              "fleet build ...",
              "build modules for many kernels once, sign, write NAME-modules-K .debs"),
          new Entry(
              "fleet source ...",
              "package module source trees as NAME-dkms (.deb, rpm, pacman) for dkms"),
          new Entry(
              "hook HOST ARG...",
              "hook files' entry: debian, common-postinst, kernel-install, rpm, alpm"),
          new Entry("help, --help", "this list; COMMAND --help: one command"),
          new Entry("--version", "jdkms's version and the dkms release it is a drop-in for"));

  private JdkmsHelp() {}

  static boolean asked(String arg) {
    return arg.equals("--help") || arg.equals("-h") || arg.equals("help");
  }

  static void print(PrintStream out) {
    out.println("Usage: jdkms COMMAND [ARG...]");
    out.println("jdkms: what the drop-in dkms does not do (the drop-in itself is `dkms`).");
    out.println();
    out.println("Commands:");
    for (Entry e : COMMANDS) {
      out.printf("  %-24s %s%n", e.usage(), e.summary());
    }
    out.println();
    out.println("Manual: jdkms(8); the drop-in: dkms(8).");
  }
}
