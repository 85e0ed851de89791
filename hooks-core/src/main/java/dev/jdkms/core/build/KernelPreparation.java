package dev.jdkms.core.build;

import dev.jdkms.core.session.DkmsException;
import dev.jdkms.core.session.ExitCode;
import dev.jdkms.core.session.Session;
import java.io.IOException;
import java.nio.file.Files;

/**
 * upstream's {@code prepare_kernel_and_signing}: once per kernel in an invocation, the headers must
 * exist (exit 21 otherwise) and the signing prologue is printed, followed by an empty line.
 */
public final class KernelPreparation {
  private final Session session;

  public KernelPreparation(Session session) {
    this.session = session;
  }

  public void prepare(String kernel, String arch) throws DkmsException, IOException {
    String key = kernel + "/" + arch;
    if (key.equals(session.state().preparedKernel)) {
      return;
    }
    if (!Files.exists(session.kernelSourceDir(kernel).resolve("include"))) {
      String it = session.setting("install_tree");
      throw DkmsException.die(
          ExitCode.KERNEL_HEADERS_MISSING,
          "Your kernel headers for kernel "
              + kernel
              + " cannot be found at "
              + it
              + "/"
              + kernel
              + "/build or "
              + it
              + "/"
              + kernel
              + "/source.",
          "Please install your distribution's kernel headers package matching "
              + kernel
              + ", or use the --kernelsourcedir option to tell DKMS where it's located.");
    }
    session.state().signing = new SigningSetup(session).prepare(kernel, arch);
    session.state().preparedKernel = key;
    session.console().println("");
  }
}
