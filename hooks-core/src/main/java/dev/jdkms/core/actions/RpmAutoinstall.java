package dev.jdkms.core.actions;

import dev.jdkms.core.session.DkmsException;
import dev.jdkms.core.session.Session;
import java.io.IOException;

/**
 * What adding an {@code .rpm} archive runs after {@code rpm -Uvh}: upstream's autoinstall. It is a
 * transaction of the engine, which builds on these actions, so the engine hands it in ({@code
 * Autoinstall::afterRpm}) rather than the actions reaching up for it.
 */
@FunctionalInterface
public interface RpmAutoinstall {
  int run(Session session) throws DkmsException, IOException;
}
