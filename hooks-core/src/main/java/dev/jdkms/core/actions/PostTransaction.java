package dev.jdkms.core.actions;

import dev.jdkms.core.conf.ConfException;
import dev.jdkms.core.conf.FrameworkConf;
import dev.jdkms.core.conf.ShellEvaluator;
import dev.jdkms.core.exec.CommandRunner;
import dev.jdkms.core.session.DkmsRequest;
import dev.jdkms.core.session.Session;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The framework's {@code post_transaction} command, run after an action that changed the tree. */
public final class PostTransaction {
  private PostTransaction() {}

  /** upstream's execute_post_transaction, when post_transaction is set. */
  public static void run(Session s) throws IOException {
    if (s.setting("post_transaction").isEmpty()) {
      return;
    }
    Path log = s.dkmsTreeRoot().resolve("post_transaction.log");
    Files.writeString(log, "");
    Map<String, String> ctx = ShellEvaluator.context();
    DkmsRequest r = s.request();
    // As in upstream, $kernelver and $arch are the first kernel/arch of the command line.
    ctx.put("kernelver", r.kernels.isEmpty() ? "" : r.kernels.get(0));
    ctx.put("arch", r.arches.isEmpty() ? "" : r.arches.get(0));
    ctx.put("module", r.module);
    ctx.put("module_version", r.moduleVersion);
    ctx.put("post_transaction", s.setting("post_transaction"));
    String cmd = s.setting("post_transaction");
    try {
      cmd =
          new FrameworkConf(s.host().etcDkms(), s.evaluator())
              .read(ctx, FrameworkConf.POST_TRANSACTION)
              .getOrDefault("post_transaction", cmd);
    } catch (ConfException e) {
      // keep the value read at start-up
    }
    new CommandRunner(s.console(), s.verbose())
        .run(
            new CommandRunner.Invocation(
                cmd,
                "Executing post-transaction command",
                log,
                true,
                false,
                null,
                s.environment()));
  }
}
