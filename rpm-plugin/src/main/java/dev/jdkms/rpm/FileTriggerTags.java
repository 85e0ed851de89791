package dev.jdkms.rpm;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.redline_rpm.header.AbstractHeader;
import org.redline_rpm.header.Header;

/**
 * Writes file triggers into an rpm header the way rpmbuild 4.18 does: per trigger one script,
 * program, flags word and priority; per prefix one NAME/INDEX/VERSION/FLAGS row, the rows sorted by
 * name (rpm keeps an index of the names in its database). redline-rpm has no API for these tags
 * (only for classic package triggers), so they are written as raw entries.
 */
final class FileTriggerTags {

  /** The tag numbers of one family (rpmtag.h: RPMTAG_FILETRIGGER* and RPMTAG_TRANSFILETRIGGER*). */
  private record Family(
      int scripts,
      int scriptProg,
      int scriptFlags,
      int name,
      int index,
      int version,
      int flags,
      int priorities) {}

  private static final Family PER_PACKAGE =
      new Family(5066, 5067, 5068, 5069, 5070, 5071, 5072, 5084);
  private static final Family PER_TRANSACTION =
      new Family(5076, 5077, 5078, 5079, 5080, 5081, 5082, 5085);

  static final String INTERPRETER = "/bin/sh";

  private FileTriggerTags() {}

  static void write(Header header, List<FileTrigger> triggers) {
    write(header, PER_PACKAGE, triggers.stream().filter(t -> !t.transaction()).toList());
    write(header, PER_TRANSACTION, triggers.stream().filter(FileTrigger::transaction).toList());
  }

  private record Row(String name, int index, int flags) {}

  private static void write(Header header, Family tags, List<FileTrigger> triggers) {
    if (triggers.isEmpty()) {
      return;
    }
    int n = triggers.size();
    String[] scripts = new String[n];
    String[] progs = new String[n];
    int[] scriptFlags = new int[n];
    int[] priorities = new int[n];
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      FileTrigger t = triggers.get(i);
      scripts[i] = t.script();
      progs[i] = INTERPRETER;
      priorities[i] = t.priority();
      for (String prefix : t.prefixes()) {
        rows.add(new Row(prefix, i, t.kind().sense()));
      }
    }
    rows.sort(Comparator.comparing(Row::name).thenComparingInt(Row::index));
    header.createEntry(tags.scripts(), AbstractHeader.Tag.STRING_ARRAY_ENTRY, scripts);
    header.createEntry(tags.scriptProg(), AbstractHeader.Tag.STRING_ARRAY_ENTRY, progs);
    header.createEntry(tags.scriptFlags(), AbstractHeader.Tag.INT32_ENTRY, scriptFlags);
    header.createEntry(
        tags.name(),
        AbstractHeader.Tag.STRING_ARRAY_ENTRY,
        rows.stream().map(Row::name).toArray(String[]::new));
    header.createEntry(
        tags.index(), AbstractHeader.Tag.INT32_ENTRY, rows.stream().mapToInt(Row::index).toArray());
    header.createEntry(
        tags.version(),
        AbstractHeader.Tag.STRING_ARRAY_ENTRY,
        rows.stream().map(r -> "").toArray(String[]::new));
    header.createEntry(
        tags.flags(), AbstractHeader.Tag.INT32_ENTRY, rows.stream().mapToInt(Row::flags).toArray());
    header.createEntry(tags.priorities(), AbstractHeader.Tag.INT32_ENTRY, priorities);
  }
}
