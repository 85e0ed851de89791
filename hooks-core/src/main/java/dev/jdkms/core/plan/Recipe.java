package dev.jdkms.core.plan;

import java.util.List;

/**
 * The facts of one module version's dkms.conf for one kernel that planning needs: whether it wants
 * automatic installation, whether BUILD_EXCLUSIVE rules it out (a skip, not a failure), and the
 * modules it must be built after (BUILD_DEPENDS).
 */
public record Recipe(boolean autoinstall, boolean excluded, List<String> buildDepends) {
  public Recipe {
    buildDepends = List.copyOf(buildDepends);
  }
}
