package dev.jdkms.core.actions;

import dev.jdkms.core.session.Session;
import dev.jdkms.core.tree.TreeLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The tree lock an action holds while it changes the tree, taken once per process tree: a child
 * dkms (a script calling dkms) finds it held in its environment and does not wait for itself.
 */
public final class TreeLocks {
  private TreeLocks() {}

  /** The tree lock; a no-op when the tree cannot be written (nothing will change then). */
  public static TreeLock acquire(Session s) throws IOException {
    if (s.environment().get(TreeLock.HELD_ENV) != null) {
      return null;
    }
    Path root = s.dkmsTreeRoot();
    if (!Files.isDirectory(root) || !Files.isWritable(root)) {
      return null;
    }
    TreeLock l = TreeLock.acquire(root.resolve(".jdkms.lock"), 1000, s.console()::errln);
    s.setEnvironment(
        s.environment()
            .with(Map.of(TreeLock.HELD_ENV, Long.toString(ProcessHandle.current().pid()))));
    return l;
  }
}
