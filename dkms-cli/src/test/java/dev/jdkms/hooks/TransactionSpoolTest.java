package dev.jdkms.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The notes one hook of a transaction leaves for its last one (rpm and alpm share them). */
class TransactionSpoolTest {
  @TempDir Path root;

  @Test
  void notesOfEveryTransactionAreTakenOnceInNameOrder() throws IOException {
    TransactionSpool spool = new TransactionSpool(root.resolve("spool"));
    assertThat(spool.exists()).isFalse();
    assertThat(spool.take("removed.")).isEmpty();
    spool.append("removed.9", List.of("b"));
    spool.append("removed.10", List.of("a"));
    spool.append("removed.10", List.of("c"));
    spool.write("self.10", List.of());
    assertThat(spool.hasLines("removed.10")).isTrue();
    assertThat(spool.hasLines("self.10")).isFalse();
    assertThat(spool.take("removed.")).containsExactly("a", "c", "b");
    assertThat(spool.take("removed.")).isEmpty();
    assertThat(spool.has("self.10")).as("other notes stay").isTrue();
  }

  @Test
  void writeReplacesANoteAndGlobCharactersAreLiteral() throws IOException {
    TransactionSpool spool = new TransactionSpool(root);
    spool.write(".jdkms-alpm-removed", List.of("old"));
    spool.write(".jdkms-alpm-removed", List.of("new"));
    spool.write("x*", List.of("star"));
    assertThat(spool.take("x*")).containsExactly("star");
    assertThat(spool.take(".jdkms-alpm-removed")).containsExactly("new");
  }
}
