package dev.jdkms.core.sign;

import java.nio.file.Path;

/**
 * How the modules of one kernel's build get signed, decided once per kernel as upstream's {@code
 * prepare_signing} does. {@code signFile} is the external tool, or null for the built-in signer.
 */
public record SigningPlan(boolean enabled, Path signFile, String hash, Path key, Path certificate) {
  public static SigningPlan disabled() {
    return new SigningPlan(false, null, "", null, null);
  }

  public boolean builtin() {
    return enabled && signFile == null;
  }
}
