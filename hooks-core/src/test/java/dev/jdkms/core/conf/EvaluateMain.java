package dev.jdkms.core.conf;

import dev.jdkms.core.console.Console;
import dev.jdkms.core.exec.ChildEnvironment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs {@link ShellEvaluator} on the real console in a child JVM, so a test can see what bash
 * printed on the inherited stderr. Arguments: {@code deprecation unsetFirst NAME,NAME... [k=v...]
 * -- file...}; prints {@code NAME[i]=value} lines for the result.
 */
public final class EvaluateMain {
  private EvaluateMain() {}

  public static void main(String[] args) throws Exception {
    boolean deprecation = Boolean.parseBoolean(args[0]);
    boolean unsetFirst = Boolean.parseBoolean(args[1]);
    List<String> accepted = List.of(args[2].split(","));
    Map<String, String> ctx = ShellEvaluator.context();
    int i = 3;
    for (; !args[i].equals("--"); i++) {
      int eq = args[i].indexOf('=');
      ctx.put(args[i].substring(0, eq), args[i].substring(eq + 1));
    }
    List<Path> files = new ArrayList<>();
    for (i++; i < args.length; i++) {
      files.add(Path.of(args[i]));
    }
    Console console = Console.system();
    ShellVariables v =
        new ShellEvaluator(console, ChildEnvironment.fromProcess())
            .evaluate(files, ctx, accepted, deprecation, unsetFirst);
    StringBuilder out = new StringBuilder();
    for (String name : accepted) {
      v.array(name).forEach((k, val) -> out.append(name + "[" + k + "]=" + val + "\n"));
    }
    console.print(out.toString());
  }
}
