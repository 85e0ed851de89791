package dev.jdkms.core.tarball;

import dev.jdkms.core.tarball.TarballException.Kind;
import java.nio.charset.StandardCharsets;

/**
 * The rules for a tar member's name and a symbolic link's target, checked before anything is
 * written.
 */
final class MemberNames {
  private static final int MAX_PATH_BYTES = 4095;
  private static final int MAX_NAME_BYTES = 255;

  private MemberNames() {}

  /**
   * The member's name relative to the root, without {@code .} and empty components; {@code ""} for
   * the root itself.
   */
  static String normalise(String member, String name) throws TarballException {
    if (name.startsWith("/")) {
      throw unsafe(member, "has an absolute path" + (member.equals(name) ? "" : " " + name));
    }
    if (name.getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
      throw unsafe(member, "has a name longer than " + MAX_PATH_BYTES + " bytes");
    }
    StringBuilder b = new StringBuilder();
    for (String c : name.split("/")) {
      if (c.isEmpty() || c.equals(".")) {
        continue;
      }
      if (c.equals("..")) {
        throw unsafe(member, "has a '..' component" + (member.equals(name) ? "" : " in " + name));
      }
      if (c.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
        throw unsafe(member, "has a component longer than " + MAX_NAME_BYTES + " bytes");
      }
      if (c.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f)) {
        throw unsafe(member, "has control characters in its name");
      }
      if (b.length() > 0) {
        b.append('/');
      }
      b.append(c);
    }
    return b.toString();
  }

  /**
   * A symbolic link must stay inside the archive: not absolute, and its {@code ..} components only
   * leading ones, fewer than its depth (they climb over directories of this extraction, so the
   * climb is exactly what the text says; after a name, a {@code ..} could climb from wherever a
   * symbolic link led).
   */
  static void checkSymlinkTarget(String raw, String rel, String link) throws TarballException {
    if (link.isEmpty()) {
      throw unsafe(raw, "is a symbolic link with an empty target");
    }
    if (!LinkCheck.staysInside(rel, link)) {
      throw unsafe(raw, "is a symbolic link pointing outside the archive (" + link + ")");
    }
  }

  static TarballException unsafe(String member, String why) {
    return new TarballException(Kind.UNSAFE, member == null ? why : "member " + member + " " + why);
  }
}
