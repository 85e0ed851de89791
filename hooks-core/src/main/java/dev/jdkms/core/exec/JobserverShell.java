package dev.jdkms.core.exec;

/**
 * How a shell command joins a make jobserver: when its environment names the jobserver's FIFO
 * ({@value #FIFO_ENV}), the shell opens it as descriptor 3 (which {@code MAKEFLAGS=-j
 * --jobserver-auth=3,3} refers to) and {@code make} becomes a function that drops the {@code -jN}
 * upstream puts on make's command line: a job count given there makes make leave the jobserver and
 * run that many jobs of its own. The command itself, as logged and shown, stays unchanged.
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
        + "make() { local __jd_a=() __jd_x; for __jd_x in \"$@\"; do case $__jd_x in"
        + " -j|-j[0-9]*) ;; *) __jd_a+=(\"$__jd_x\") ;; esac; done;"
        + " command make \"${__jd_a[@]}\"; }\n"
        + command;
  }
}
