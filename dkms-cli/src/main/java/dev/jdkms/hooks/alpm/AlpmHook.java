package dev.jdkms.hooks.alpm;

import dev.jdkms.core.console.Console;
import dev.jdkms.hooks.Engine;
import dev.jdkms.hooks.EngineResult;
import dev.jdkms.hooks.TransactionSpool;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The handler of the alpm hooks {@code /usr/share/libalpm/hooks/{69,70}-jdkms-*.hook}. pacman runs
 * it chrooted into its root with the matching paths on stdin (NeedsTargets: one per line, no
 * leading /), once per hook and transaction; every hook is PostTransaction.
 *
 * <pre>
 *   removed    69-jdkms-remove:  paths the transaction removed, noted for "install"
 *   upgraded   69-jdkms-upgrade: paths upgraded in place (the same path in the old and the new
 *              package), noted for "install", which passes them as removed and installed (rebuilt)
 *   install    70-jdkms-install: every matching path of the transaction; the one engine run
 * </pre>
 *
 * The exit status is always 0 ({@link AlpmExitPolicy}).
 */
public final class AlpmHook {
  static final String REMOVED = ".jdkms-alpm-removed";
  static final String UPGRADED = ".jdkms-alpm-upgraded";

  private final Engine engine;
  private final Console console;
  private final TransactionSpool notes;

  public AlpmHook(Engine engine, Console console, TransactionSpool notes) {
    this.engine = engine;
    this.console = console;
    this.notes = notes;
  }

  public int run(String stage, List<String> paths) {
    switch (stage) {
      case "removed", "upgraded" -> note(stage, paths);
      case "install" -> install(paths);
      default -> error("usage: hook alpm install|removed|upgraded (paths on stdin)");
    }
    return 0;
  }

  private void note(String stage, List<String> paths) {
    String note = stage.equals("removed") ? REMOVED : UPGRADED;
    try {
      notes.write(note, paths);
    } catch (IOException e) {
      error(
          "cannot note "
              + stage
              + " paths in "
              + notes.dir().resolve(note)
              + ": the modules of those kernels and sources are left as they are");
    }
  }

  /**
   * Removed: what went, and what was upgraded in place (rebuilt). Installed: all the rest. Only
   * notes of this transaction count: a noted path that is not among this call's is stale.
   */
  private void install(List<String> paths) {
    if (paths.isEmpty()) {
      return;
    }
    Set<String> now = new LinkedHashSet<>(paths);
    List<String> gone = new ArrayList<>();
    List<String> upgraded = new ArrayList<>();
    try {
      notes.take(REMOVED).stream().filter(now::contains).forEach(gone::add);
      notes.take(UPGRADED).stream().filter(now::contains).forEach(upgraded::add);
    } catch (IOException e) {
      error("cannot read the noted paths: " + e.getMessage());
    }
    List<String> removed = new ArrayList<>(gone);
    removed.addAll(upgraded);
    List<String> installed = new ArrayList<>(now);
    installed.removeAll(gone);
    EngineResult r = engine.run(new Engine.Request(List.of(), installed, removed, false));
    AlpmExitPolicy.errors(r).forEach(this::error);
  }

  private void error(String line) {
    console.errln("==> ERROR: " + line);
  }
}
