package dev.jdkms.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jdkms.core.testutil.Upstream;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The named exit statuses are upstream's: every value is one that upstream's own table (the header
 * of {@code dkms.in} 3.4.3) lists, and the names with one meaning say what that table says.
 */
class ExitCodeTest {
  private static final Pattern ROW = Pattern.compile("^# (\\d+): (.*)$");

  /** Upstream's table: status → its meanings, one per line, joined. */
  private static Map<Integer, String> upstreamTable() throws IOException {
    Map<Integer, String> table = new HashMap<>();
    for (String line : Files.readAllLines(Upstream.source())) {
      Matcher m = ROW.matcher(line);
      if (m.matches()) {
        table.merge(Integer.parseInt(m.group(1)), m.group(2), (a, b) -> a + "\n" + b);
      }
    }
    return table;
  }

  @Test
  void everyValueIsInUpstreamsTable() throws IOException, IllegalAccessException {
    Map<Integer, String> table = upstreamTable();
    assertThat(table).isNotEmpty();
    for (Field f : ExitCode.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == int.class) {
        assertThat(table).as(f.getName()).containsKey(f.getInt(null));
      }
    }
  }

  @Test
  void theSingleMeaningStatusesSayWhatUpstreamSays() throws IOException {
    Map<Integer, String> table = upstreamTable();
    assertThat(table.get(ExitCode.AUTOINSTALL_FAILED)).contains("autoinstall");
    assertThat(table.get(ExitCode.NO_ARCH)).contains("Could not determine architecture");
    assertThat(table.get(ExitCode.BUILD_DEPENDS_MISSING)).contains("missing BUILD_DEPENDS");
    assertThat(table.get(ExitCode.KERNEL_ACTION_FAILED)).contains("kernel_preinst/prerm");
    assertThat(table.get(ExitCode.CD_FAILED)).contains("cd failed");
    assertThat(table.get(ExitCode.KERNEL_OR_ARCH_EMPTY)).contains("empty $kernelver or $arch");
    assertThat(table.get(ExitCode.KERNEL_HEADERS_MISSING)).contains("kernel headers");
    assertThat(table.get(ExitCode.SKIPPED)).contains("BUILD_EXCLUSIVE");
    assertThat(table.get(ExitCode.PRE_INSTALL_FAILED)).contains("pre_install failed");
  }
}
