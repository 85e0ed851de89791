package dev.jdkms.core.actions;

import dev.jdkms.core.session.DkmsException;
import dev.jdkms.core.session.ExitCode;
import dev.jdkms.core.session.Session;
import dev.jdkms.core.tree.DkmsTree;
import java.io.IOException;
import java.nio.file.Files;

/** The preconditions upstream checks before an action, with its messages and statuses. */
public final class Checks {
  private Checks() {}

  public static void moduleArgs(String module, String version, String action) throws DkmsException {
    if (!module.isEmpty() && !version.isEmpty()) {
      return;
    }
    throw DkmsException.die(
        ExitCode.MODULE_ARGS_MISSING,
        "Arguments <module> and <module-version> are not specified.",
        "Usage: " + action + " <module>/<module-version> or",
        "       " + action + " -m <module>/<module-version> or",
        "       " + action + " -m <module> -v <module-version>");
  }

  public static void notBroken(Session s) throws DkmsException {
    String m = s.request().module;
    String v = s.request().moduleVersion;
    if (s.tree().isBroken(m, v)) {
      throw DkmsException.die(
          ExitCode.MODULE_BROKEN,
          m + "/" + v + " is broken!",
          "Missing the source directory or the symbolic link pointing to it.",
          "Manual intervention is required!");
    }
  }

  public static void added(Session s) throws DkmsException {
    String m = s.request().module;
    String v = s.request().moduleVersion;
    if (!s.tree().isAdded(m, v)) {
      throw DkmsException.die(
          ExitCode.MODULE_NOT_IN_TREE,
          "The module/version combo: " + m + "/" + v + " is not located in the DKMS tree.");
    }
  }

  public static void root(Session s) throws DkmsException {
    if (!isRoot(s)) {
      throw DkmsException.die(ExitCode.NOT_ROOT, "You must be root to use this command.");
    }
  }

  public static void writableTree(Session s) throws DkmsException {
    DkmsTree t = s.tree();
    if (!Files.isWritable(t.root())) {
      throw DkmsException.die(
          ExitCode.NO_TREE_WRITE_ACCESS, "No write access to DKMS tree at " + t.root());
    }
  }

  public static void allBanned(Session s, String action) throws DkmsException {
    if (s.request().all) {
      throw DkmsException.die(
          ExitCode.ALL_NOT_SUPPORTED,
          "The action " + action + " does not support the --all parameter.");
    }
  }

  /** uid 0, read from /proc so no native call is needed. */
  public static boolean isRoot(Session s) {
    try {
      for (String l : Files.readAllLines(s.host().selfStatus())) {
        if (l.startsWith("Uid:")) {
          return l.split("\\s+")[1].equals("0");
        }
      }
    } catch (IOException e) {
      // fall through
    }
    return "root".equals(System.getProperty("user.name"));
  }

  /**
   * jdkms refuses module names and versions that would leave the DKMS or source tree when used as
   * path components ({@code ..}, {@code /}, control characters); upstream has no such check.
   */
  public static void safeNames(String module, String version) throws DkmsException {
    if (module.isEmpty()) {
      // Without a module name nothing is touched; upstream's own argument check reports it.
      return;
    }
    for (String[] nv : new String[][] {{"module name", module}, {"module version", version}}) {
      String v = nv[1];
      if (v.isEmpty()) {
        continue;
      }
      boolean bad = v.equals(".") || v.equals("..") || v.contains("/") || v.startsWith("-");
      for (char c : v.toCharArray()) {
        bad |= c < 0x20 || c == 0x7f;
      }
      if (bad) {
        throw DkmsException.die(
            ExitCode.NAME_INVALID,
            "Invalid " + nv[0] + " '" + v.replaceAll("\\p{Cntrl}", "?") + "'.",
            "It must not be '.' or '..', contain '/' or control characters, or start with '-'.");
      }
    }
  }
}
