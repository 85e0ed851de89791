package dev.jdkms.core.engine;

import dev.jdkms.core.conf.DkmsConf;
import dev.jdkms.core.plan.Recipe;
import dev.jdkms.core.plan.TreeInventory;
import dev.jdkms.core.session.ConfReader;
import dev.jdkms.core.session.DkmsException;
import dev.jdkms.core.session.Session;
import java.util.List;

/** Recipes read as upstream reads dkms.conf; an unreadable one is not built (and says why). */
final class DkmsConfRecipes implements TreeInventory.Recipes {
  private final Session session;

  DkmsConfRecipes(Session session) {
    this.session = session;
  }

  @Override
  public Recipe read(String m, String v, String k, String a) {
    try {
      DkmsConf c = new ConfReader(session).read(m, v, k, a, session.tree().sourceConf(m, v));
      return new Recipe(c.autoinstall(), c.buildExcluded(), c.buildDepends());
    } catch (DkmsException e) {
      session.report(e);
      return new Recipe(false, false, List.of());
    }
  }
}
