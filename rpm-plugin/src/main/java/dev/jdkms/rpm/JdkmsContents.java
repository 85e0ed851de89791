package dev.jdkms.rpm;

import dev.jdkms.layout.JdkmsLayout;
import dev.jdkms.layout.LayoutEntry;
import dev.jdkms.layout.LayoutEntry.Format;
import java.nio.file.Path;
import java.util.Comparator;
import org.redline_rpm.payload.Directive;

/**
 * The payload: the rpm's entries of the package layout ({@link JdkmsLayout}), read from the
 * checkout. The rpm owns the layout's directories and none of the base system's above them.
 */
final class JdkmsContents {

  private final Path checkout;

  JdkmsContents(Path checkout) {
    this.checkout = checkout;
  }

  void addTo(TriggerBuilder b) throws Exception {
    // Directories of the base system: not ours to own (redline adds missing parents otherwise).
    for (String d : JdkmsLayout.unownedParents(Format.RPM)) {
      b.addBuiltinDirectory(d);
    }
    // Directories first: a file's parent must be known before redline adds one of its own.
    for (LayoutEntry e :
        JdkmsLayout.entries(Format.RPM).stream()
            .sorted(Comparator.comparing(e -> e.kind() != LayoutEntry.Kind.DIRECTORY))
            .toList()) {
      add(b, e);
    }
  }

  private void add(TriggerBuilder b, LayoutEntry e) throws Exception {
    switch (e.kind()) {
      case DIRECTORY -> b.addDirectory(e.path(), e.mode(), Directive.NONE, "root", "root", false);
      case FILE -> b.addFile(e.path(), JdkmsRpm.file(e.sourceIn(checkout)), e.mode());
      case CONFFILE ->
          b.addFile(
              e.path(),
              JdkmsRpm.file(e.sourceIn(checkout)),
              e.mode(),
              new Directive(Directive.RPMFILE_CONFIG | Directive.RPMFILE_NOREPLACE));
      case SYMLINK -> b.addLink(e.path(), e.source());
    }
  }
}
