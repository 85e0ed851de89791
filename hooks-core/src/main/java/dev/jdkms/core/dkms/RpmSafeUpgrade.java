package dev.jdkms.core.dkms;

import dev.jdkms.core.session.Session;

/**
 * {@code --rpm_safe_upgrade}: during {@code rpm -U} the new package's add runs before the old
 * package's remove of the same version; a lock file written by add cancels that remove. The full
 * handshake belongs to the rpm work (issue 8); until then remove is never cancelled.
 */
final class RpmSafeUpgrade {
  private RpmSafeUpgrade() {}

  static boolean cancelsRemove(Session session, String module, String version) {
    return false;
  }
}
