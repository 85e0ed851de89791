package dev.jdkms.core.tarball;

import dev.jdkms.core.session.DkmsException;
import java.io.IOException;

/**
 * What loading a tarball hands over to the lifecycle actions, which own them: the root check of
 * {@code add_source_tree}, the rest of {@code add_module} once the sources are in place, and the
 * {@code autoinstall} that follows installing an {@code .rpm}.
 */
public interface ModuleAdder {
  /** upstream's {@code check_root}. */
  void requireRoot() throws DkmsException;

  /** {@code add_module} for a module whose source is in place (checks, symlink, POST_ADD). */
  int addModule(String module, String version) throws DkmsException, IOException;

  /** {@code autoinstall}, after {@code rpm -Uvh} installed a module package. */
  int autoinstall() throws DkmsException, IOException;
}
