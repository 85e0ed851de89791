package dev.jdkms.core.exec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * How a shell command joins a make jobserver: when its environment names the jobserver's FIFO
 * ({@value #FIFO_ENV}), the shell opens it as descriptor 3 (which {@code MAKEFLAGS=-j
 * --jobserver-auth=3,3} refers to), takes one token from it for the command's own first job (the
 * implicit slot every make has) and gives it back when the command ends. The command runs in a
 * subshell, so that even one ending in {@code exec} gives the token back. The command itself, as
 * logged and shown, stays unchanged.
 *
 * <p>A job count on make's command line makes make leave the jobserver and run that many jobs of
 * its own: upstream puts {@code -jN} there, NVIDIA's dkms.conf runs {@code env make -jN}, ZFS's
 * configure runs {@code make -jCPUS} for its kernel tests. So the FIFO's directory has a {@code
 * bin/make} ({@link #writeMake}) first on the command's PATH, which drops the job count and runs
 * the real make: every make of a build, however started, stays in the budget.
 *
 * <p>Taking the token here rather than for a whole build leaves the pool its tokens while a build
 * copies, signs or installs, so another make's jobs can use the CPU meanwhile.
 */
public final class JobserverShell {
  /** Set in a build's environment by the executor: the jobserver FIFO. */
  public static final String FIFO_ENV = "JDKMS_JOBSERVER_FIFO";

  private JobserverShell() {}

  /** The script to run instead of {@code command} when {@code fifo} is set (else the command). */
  public static String wrap(String fifo, String command) {
    if (fifo == null || fifo.isEmpty()) {
      return command;
    }
    return "exec 3<>"
        + quote(fifo)
        + "\n"
        + "IFS= read -r -d '' -n 1 -u 3 __jd_tok || exit 125\n"
        + "trap 'printf %s \"$__jd_tok\" >&3' EXIT\n"
        + "PATH="
        + quote(makeDir(Path.of(fifo)).toString())
        + ":$PATH\n"
        + "(\n"
        + command
        + "\n)";
  }

  /** The directory of the {@code make} that stays in the jobserver of {@code fifo}. */
  public static Path makeDir(Path fifo) {
    return fifo.resolveSibling("bin");
  }

  /**
   * Writes {@code bin/make} beside {@code fifo}: drops {@code -jN}, {@code -j N}, {@code -j},
   * {@code --jobs[=N]} and runs {@code realMake} with the other arguments. Nothing when make is not
   * installed (the command then fails as it would have).
   */
  public static void writeMake(Path fifo, Optional<Path> realMake) throws IOException {
    if (realMake.isEmpty()) {
      return;
    }
    Path dir = Files.createDirectories(makeDir(fifo));
    Path make = dir.resolve("make");
    Files.writeString(
        make,
        "#!/bin/sh\n"
            + "# jdkms: make inside the job budget (a job count here would leave the jobserver)\n"
            + "skip=\n"
            + "for a do\n"
            + "    shift\n"
            + "    if [ -n \"$skip\" ]; then\n"
            + "        skip=\n"
            + "        case $a in [0-9]*) continue ;; esac\n"
            + "    fi\n"
            + "    case $a in\n"
            + "    -j | --jobs) skip=1; continue ;;\n"
            + "    -j[0-9]* | --jobs=*) continue ;;\n"
            + "    esac\n"
            + "    set -- \"$@\" \"$a\"\n"
            + "done\n"
            + "exec "
            + quote(realMake.get().toString())
            + " \"$@\"\n");
    Files.setPosixFilePermissions(make, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }
}
