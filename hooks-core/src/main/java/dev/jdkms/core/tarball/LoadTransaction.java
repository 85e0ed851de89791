package dev.jdkms.core.tarball;

import dev.jdkms.core.session.DkmsException;
import dev.jdkms.core.session.ExitCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Puts the trees of a validated tarball into {@code /usr/src} and the DKMS tree so that a failure
 * or an interruption can undo it. Each tree is copied next to its destination under a hidden {@code
 * .tmp_*} name (the pattern {@code dkms remove} already sweeps) and renamed into place; a tree it
 * replaces is renamed aside and deleted only on {@link #commit}. {@link #rollback} removes what was
 * placed, puts replaced trees back and deletes the directories the load created.
 *
 * <p>Only {@link #merge}, copying over an existing {@code /usr/src/M-V} as upstream's {@code cp}
 * does without {@code --force}, cannot be undone.
 */
final class LoadTransaction {
  /** {@code target} was placed (else only taken away); {@code backup} holds what it replaced. */
  private record Step(Path target, boolean placed, Path backup) {}

  private final List<Step> steps = new ArrayList<>();
  private final List<Path> createdDirectories = new ArrayList<>();
  private boolean open = true;
  private boolean armed = true;

  /**
   * Copies the entries of {@code from} that {@code topLevel} accepts into a new directory that then
   * replaces {@code target} (or appears there).
   */
  synchronized void place(Path target, Path from, Predicate<String> topLevel) throws IOException {
    ensureOpen();
    Path parent = target.getParent();
    createDirectories(parent);
    String name = target.getFileName().toString();
    Path stage = Files.createTempDirectory(parent, ".tmp_" + name + "_jdkms");
    try {
      TreeCopier.copyContents(from, stage, topLevel);
      Files.setPosixFilePermissions(stage, Files.getPosixFilePermissions(from));
      Path backup = null;
      if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
        backup = aside(target);
      }
      try {
        Files.move(stage, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        if (backup != null) {
          Files.move(backup, target, StandardCopyOption.ATOMIC_MOVE);
        }
        throw e;
      }
      steps.add(new Step(target, true, backup));
    } finally {
      TreeCopier.deleteQuietly(stage);
    }
  }

  /** Copies {@code from}'s contents over the existing directory {@code target} (not undoable). */
  synchronized void merge(Path target, Path from) throws IOException {
    ensureOpen();
    TreeCopier.copyContents(from, target, n -> true);
  }

  /** Takes {@code target} away (it comes back on rollback). */
  synchronized void remove(Path target) throws IOException {
    ensureOpen();
    steps.add(new Step(target, false, aside(target)));
  }

  /** After this, an interruption no longer undoes the load (the module is being registered). */
  synchronized void disarm() {
    armed = false;
  }

  /** Keeps everything placed and deletes what it replaced. */
  synchronized void commit() {
    if (!open) {
      return;
    }
    open = false;
    for (Step s : steps) {
      if (s.backup() != null) {
        TreeCopier.deleteQuietly(s.backup());
      }
    }
  }

  /** Undoes every step, newest first, then deletes the directories the load created. */
  synchronized void rollback() {
    if (!open) {
      return;
    }
    open = false;
    for (int i = steps.size() - 1; i >= 0; i--) {
      Step s = steps.get(i);
      try {
        if (s.placed()) {
          TreeCopier.delete(s.target());
        }
        if (s.backup() != null) {
          Files.move(s.backup(), s.target(), StandardCopyOption.ATOMIC_MOVE);
        }
      } catch (IOException | RuntimeException e) {
        // keep undoing the rest
      }
    }
    for (int i = createdDirectories.size() - 1; i >= 0; i--) {
      TreeCopier.deleteQuietly(createdDirectories.get(i));
    }
  }

  /** For the shutdown hook: undoes the load unless it has reached registration. */
  synchronized void abandon() {
    if (armed) {
      rollback();
    }
  }

  private void ensureOpen() throws IOException {
    if (!open) {
      throw new IOException("the load was abandoned");
    }
  }

  private Path aside(Path target) throws IOException {
    Path backup =
        Files.createTempDirectory(target.getParent(), ".tmp_" + target.getFileName() + "_jdkmsold");
    Files.delete(backup);
    Files.move(target, backup, StandardCopyOption.ATOMIC_MOVE);
    return backup;
  }

  /** {@code mkdir -p}, remembering the topmost directory it had to create. */
  private void createDirectories(Path dir) throws IOException {
    Path top = null;
    for (Path p = dir;
        p != null && !Files.exists(p, LinkOption.NOFOLLOW_LINKS);
        p = p.getParent()) {
      top = p;
    }
    Files.createDirectories(dir);
    if (top != null) {
      createdDirectories.add(top);
    }
  }

  /** Copying steps that return what they loaded. */
  interface Steps<T> {
    T run() throws DkmsException, IOException;
  }

  /** Runs the copying steps; any failure undoes them. Returns what they loaded. */
  <T> T run(String archive, Steps<T> steps) throws DkmsException {
    try {
      return steps.run();
    } catch (DkmsException e) {
      rollback();
      throw e;
    } catch (IOException | RuntimeException e) {
      rollback();
      throw DkmsException.die(
          ExitCode.FAILURE, "Loading " + archive + " failed: " + e.getMessage());
    }
  }
}
