package dev.jdkms.fleet;

import dev.jdkms.core.initramfs.Generator;
import dev.jdkms.core.initramfs.ImageLocator;
import dev.jdkms.core.initramfs.InitramfsPolicy;
import dev.jdkms.core.session.Session;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Whether a module package's scripts update the kernel's initramfs, decided when the package is
 * built, as the engine decides it on a machine: its dkms.conf says REMAKE_INITRD=yes, or the
 * kernel's image holds a module of that name (read from this machine's image of the kernel, when it
 * has one: an image builder's is the fleet's). Empty when not, else the reason.
 */
final class InitramfsNeed {
  private InitramfsNeed() {}

  static String of(Session session, String kernel, List<String> modules, boolean remakeInitrd) {
    if (remakeInitrd) {
      return "boot-critical (REMAKE_INITRD)";
    }
    Path root = Path.of("/");
    Map<String, String> env = session.environment().asMap();
    InitramfsPolicy.Decision d =
        InitramfsPolicy.decide(
            kernel,
            ImageLocator.find(root, kernel, env),
            Generator.detect(root, env),
            modules,
            List.of(),
            false);
    return d.regenerate() ? d.reason() : "";
  }
}
