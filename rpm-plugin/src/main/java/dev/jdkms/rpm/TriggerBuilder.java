package dev.jdkms.rpm;

import java.io.File;
import java.io.IOException;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import org.redline_rpm.Builder;

/** redline-rpm's {@link Builder} plus rpm file triggers, which redline cannot declare itself. */
public class TriggerBuilder extends Builder {

  private final List<FileTrigger> fileTriggers = new ArrayList<>();

  public void addFileTrigger(FileTrigger trigger) {
    fileTriggers.add(trigger);
  }

  @Override
  public String build(File directory) throws NoSuchAlgorithmException, IOException {
    FileTriggerTags.write(format.getHeader(), fileTriggers);
    return super.build(directory);
  }
}
