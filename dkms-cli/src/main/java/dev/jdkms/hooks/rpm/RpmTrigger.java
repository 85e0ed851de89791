package dev.jdkms.hooks.rpm;

import dev.jdkms.core.console.Console;
import dev.jdkms.hooks.Engine;
import dev.jdkms.hooks.EngineResult;
import dev.jdkms.hooks.TransactionSpool;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The jdkms package's rpm file triggers (rpm-plugin/README.md), one engine run per rpm transaction.
 *
 * <pre>
 *   removing TX   %filetriggerun on /usr/lib/modules /lib/modules /usr/src: once per erased
 *                 package while its files exist, its paths on stdin (noted with their inodes)
 *   installed TX  %transfiletriggerin on the same prefixes: at the end, every path installed
 *                 there on stdin; runs the engine unless a %transfiletriggerpostun follows
 *   finish TX     %transfiletriggerpostun on /: after "installed" when anything was erased
 * </pre>
 *
 * TX is the rpm (or dnf) process: every trigger of one transaction is its child. jdkms's own erase
 * (also on its upgrade) fires "removing" for every installed kernel and module; its %preun leaves
 * {@code self.TX}, and this trigger (priority below 10000) runs after %preun and does nothing. A
 * module source that goes is noted like a kernel: by the end its files are gone, and the engine
 * tears it down with the copy of dkms.conf its last build kept. The exit status is always 0.
 */
public final class RpmTrigger {
  private final Engine engine;
  private final Console console;
  private final TransactionSpool spool;
  private final FileStates files;

  public RpmTrigger(Engine engine, Console console, TransactionSpool spool, FileStates files) {
    this.engine = engine;
    this.console = console;
    this.spool = spool;
    this.files = files;
  }

  public int run(String stage, String tx, List<String> stdin) {
    try {
      switch (stage) {
        case "removing" -> noteRemoving(tx, stdin);
        case "installed" -> {
          spool.append("installed." + tx, TriggerPaths.relevant(stdin));
          if (!spool.hasLines("removed." + tx)) {
            finish();
          }
        }
        case "finish" -> {
          if (spool.exists()) {
            finish();
          }
        }
        default ->
            console.errln(
                "usage: hook rpm removing|installed|finish TX  (run by the jdkms package's rpm"
                    + " file triggers)");
      }
    } catch (IOException e) {
      console.errln("jdkms: ERROR: " + e.getMessage() + "; the rpm transaction goes on.");
    }
    return 0;
  }

  private void noteRemoving(String tx, List<String> stdin) throws IOException {
    if (spool.has("self." + tx)) {
      return;
    }
    List<String> noted = new ArrayList<>();
    for (String path : TriggerPaths.relevant(stdin)) {
      files.inode(path).ifPresent(inode -> noted.add(inode + " " + path));
    }
    spool.append("removed." + tx, noted);
  }

  /**
   * The one engine run: everything installed, and everything that went — a noted path that is gone
   * or is another file now (reinstalled over it: removed and installed, so rebuilt in place), and
   * an installed kernel image or dkms.conf newer than what was built from it.
   */
  private void finish() throws IOException {
    TreeSet<String> installed = new TreeSet<>(spool.take("installed."));
    TreeSet<String> removed = new TreeSet<>();
    for (String line : spool.take("removed.")) {
      int space = line.indexOf(' ');
      if (space > 0) {
        String path = line.substring(space + 1);
        String inode = line.substring(0, space);
        if (!files.inode(path).map(i -> i.equals(inode)).orElse(false)) {
          removed.add(path);
        }
      }
    }
    for (String path : installed) {
      if (files.replacedSinceBuilt(path)) {
        removed.add(path);
      }
    }
    if (installed.isEmpty() && removed.isEmpty()) {
      return;
    }
    EngineResult r =
        engine.run(
            new Engine.Request(List.of(), List.copyOf(installed), List.copyOf(removed), false));
    RpmExitPolicy.lines(r).forEach(console::errln);
  }
}
