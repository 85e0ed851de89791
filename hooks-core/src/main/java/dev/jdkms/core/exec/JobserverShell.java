package dev.jdkms.core.exec;

/**
 * How a shell command joins a make jobserver: when its environment names the jobserver's FIFO
 * ({@value #FIFO_ENV}), the shell opens it as descriptor 3 (which {@code MAKEFLAGS=-j
 * --jobserver-auth=3,3} refers to), takes one token from it for the command's own first job (the
 * implicit slot every make has) and gives it back when the command ends, and {@code make} becomes a
 * function that drops the {@code -jN} upstream puts on make's command line: a job count given there
 * makes make leave the jobserver and run that many jobs of its own. The command runs in a subshell,
 * so that even one ending in {@code exec} gives the token back. The command itself, as logged and
 * shown, stays unchanged.
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
    return "exec 3<>'"
        + fifo.replace("'", "'\\''")
        + "'\n"
        + "IFS= read -r -d '' -n 1 -u 3 __jd_tok || exit 125\n"
        + "trap 'printf %s \"$__jd_tok\" >&3' EXIT\n"
        + "make() { local __jd_a=() __jd_x; for __jd_x in \"$@\"; do case $__jd_x in"
        + " -j|-j[0-9]*) ;; *) __jd_a+=(\"$__jd_x\") ;; esac; done;"
        + " command make \"${__jd_a[@]}\"; }\n"
        + "(\n"
        + command
        + "\n)";
  }
}
