package dev.jdkms.cli;

import dev.jdkms.core.console.Console;
import dev.jdkms.core.session.DkmsException;
import dev.jdkms.core.session.DkmsRequest;
import dev.jdkms.core.session.ExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * upstream dkms's argument rules, by hand: options and words in any order, long options matched by
 * prefix, {@code --opt value} and {@code --opt=value}, words classified as action, source tree,
 * archive or module/version. picocli cannot express these rules (and costs ~150 ms of start-up on a
 * path that package managers call hundreds of times), so this parser is hand-written.
 */
final class CommandLine {
  private static final Pattern ACTION =
      Pattern.compile(
          "^(remove|(auto|un)?install|match|mktarball|(un)?build|add|status|ldtarball|generate_mok"
              + "|kernel_(preinst|postinst|prerm))$");

  /** What parsing decided besides the request: print the version or the usage and stop. */
  enum Outcome {
    RUN,
    VERSION,
    HELP,
    UNKNOWN_OPTION
  }

  private final DkmsRequest.Builder request = new DkmsRequest.Builder();
  private Console console;
  private String unknownOption = "";

  CommandLine(Console console) {
    this.console = console;
  }

  /** The request parsed (call after {@link #parse}). */
  DkmsRequest request() {
    return request.build();
  }

  Console console() {
    return console;
  }

  String unknownOption() {
    return unknownOption;
  }

  Outcome parse(String[] args) throws DkmsException {
    int i = 0;
    while (i < args.length) {
      String a = args[i];
      String next = i + 1 < args.length ? args[i + 1] : "";
      // For value options: the value after '=', else the next word (consumed).
      String value = null;
      boolean consumed = false;
      if (isValueOption(a)) {
        int eq = a.indexOf('=');
        if (eq >= 0) {
          value = firstLine(a.substring(eq + 1));
        } else {
          value = firstLine(next);
          consumed = true;
        }
      }
      if (a.startsWith("--module") || a.equals("-m")) {
        moduleVersion(value);
      } else if (a.equals("-v")) {
        request.moduleVersion = value;
      } else if (a.startsWith("--kernelver") || a.equals("-k")) {
        kernelArch(value);
      } else if (a.startsWith("--templatekernel")) {
        request.templateKernel = value;
      } else if (a.equals("-c")) {
        request.conf = value;
      } else if (a.equals("--quiet") || a.equals("-q")) {
        request.quiet = true;
        console = Console.silent();
      } else if (a.equals("--version") || a.equals("-V")) {
        return Outcome.VERSION;
      } else if (a.equals("--no-initrd")
          || a.equals("--no-clean-kernel")
          || a.equals("--no-prepare-kernel")) {
        console.deprecated(a);
      } else if (a.equals("--binaries-only")) {
        request.binariesOnly = true;
      } else if (a.equals("--source-only")) {
        request.sourceOnly = true;
      } else if (a.equals("--force")) {
        request.force = true;
      } else if (a.equals("--force-version-override")) {
        request.forceVersionOverride = true;
      } else if (a.equals("--all")) {
        request.all = true;
      } else if (a.equals("--verbose")) {
        request.verbose = true;
      } else if (a.equals("--rpm_safe_upgrade")) {
        request.rpmSafeUpgrade = true;
      } else if (a.startsWith("--dkmstree")) {
        request.dkmsTree = value;
      } else if (a.startsWith("--sourcetree")) {
        request.sourceTree = value;
      } else if (a.startsWith("--installtree")) {
        request.installTree = value;
      } else if (a.equals("--symlink-modules")) {
        request.symlinkModules = true;
      } else if (a.startsWith("--config")) {
        request.kernelConfig = value;
        request.kernelConfigFromCli = true;
      } else if (a.startsWith("--archive")) {
        request.archive = value;
      } else if (a.startsWith("--arch") || a.equals("-a")) {
        request.arches.add(value);
      } else if (a.startsWith("--kernelsourcedir")) {
        request.kernelSourceDir = value;
        request.kernelSourceDirFromCli = true;
      } else if (a.startsWith("--directive")) {
        request.directives.add(value);
      } else if (a.equals("--no-depmod")) {
        request.noDepmod = true;
      } else if (a.equals("--modprobe-on-install")) {
        request.modprobeOnInstall = true;
      } else if (a.equals("--debug")) {
        // bash tracing has no Java equivalent; accepted so scripts passing it keep working
      } else if (a.equals("-j")) {
        request.parallelJobs = value;
      } else if (a.equals("--help") || a.equals("-h")) {
        return Outcome.HELP;
      } else if (a.startsWith("-")) {
        unknownOption = a;
        return Outcome.UNKNOWN_OPTION;
      } else {
        word(a);
      }
      i += consumed ? 2 : 1;
    }
    return Outcome.RUN;
  }

  private static boolean isValueOption(String a) {
    return a.equals("-m")
        || a.startsWith("--module")
        || a.equals("-v")
        || a.equals("-k")
        || a.startsWith("--kernelver")
        || a.startsWith("--templatekernel")
        || a.equals("-c")
        || a.startsWith("--dkmstree")
        || a.startsWith("--sourcetree")
        || a.startsWith("--installtree")
        || a.startsWith("--config")
        || a.startsWith("--archive")
        || a.startsWith("--arch")
        || a.equals("-a")
        || a.startsWith("--kernelsourcedir")
        || a.startsWith("--directive")
        || a.equals("-j");
  }

  /**
   * bash's {@code read -r var <<< "$x"}, which upstream's read_arg uses for both {@code --opt=x}
   * and {@code --opt x}: the first line only, without leading and trailing blanks (IFS whitespace:
   * spaces and tabs; a carriage return stays).
   */
  static String firstLine(String s) {
    int nl = s.indexOf('\n');
    String line = nl < 0 ? s : s.substring(0, nl);
    int start = 0;
    int end = line.length();
    while (start < end && isBlank(line.charAt(start))) {
      start++;
    }
    while (end > start && isBlank(line.charAt(end - 1))) {
      end--;
    }
    return line.substring(start, end);
  }

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t';
  }

  private void word(String a) throws DkmsException {
    Path p = Path.of(a);
    if (ACTION.matcher(a).matches()) {
      if (!request.action.isEmpty()) {
        throw DkmsException.die(
            ExitCode.MORE_THAN_ONE_ACTION, "Cannot specify more than one action.");
      }
      request.action = a;
    } else if (Files.isRegularFile(p) && a.endsWith("dkms.conf")) {
      request.trySourceTree = a.substring(0, a.length() - "dkms.conf".length()) + "./";
    } else if (Files.isDirectory(p) && Files.isRegularFile(p.resolve("dkms.conf"))) {
      request.trySourceTree = a;
    } else if (Files.isRegularFile(p)) {
      request.archive = a;
    } else if (request.module.isEmpty()) {
      moduleVersion(a);
    } else {
      console.warn("I do not know how to handle " + a + ".");
    }
  }

  private void moduleVersion(String v) {
    int slash = v.indexOf('/');
    if (slash >= 0) {
      request.module = v.substring(0, slash);
      request.moduleVersion = v.substring(slash + 1);
    } else {
      request.module = v;
    }
  }

  private void kernelArch(String v) {
    int slash = v.indexOf('/');
    if (slash >= 0) {
      request.kernels.add(v.substring(0, slash));
      request.arches.add(v.substring(slash + 1));
    } else {
      request.kernels.add(v);
    }
  }
}
