package dev.jdkms.hooks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A stand-in for the core's engine in the adapters' unit tests: it records each request and answers
 * with a given result, so that a hook's translation and exit policy are checked without root.
 */
public final class RecordingEngine implements Engine {
  public final List<Request> requests = new ArrayList<>();
  private final Locations locations;
  private EngineResult answer = EngineResult.OK;
  private List<String> bootCritical = List.of();

  public RecordingEngine(Path root) {
    this.locations =
        new Locations(
            root.resolve("var/lib/dkms"), root.resolve("lib/modules"), root.resolve("boot"));
  }

  public RecordingEngine answering(EngineResult r) {
    this.answer = r;
    return this;
  }

  public RecordingEngine withBootCritical(List<String> modules) {
    this.bootCritical = modules;
    return this;
  }

  public final java.util.Map<String, String> settings = new java.util.HashMap<>();

  @Override
  public String setting(String name) {
    return settings.getOrDefault(name, "");
  }

  @Override
  public Locations locations() {
    return locations;
  }

  @Override
  public EngineResult run(Request request) {
    requests.add(request);
    return answer;
  }

  /** What {@link #prebuiltMissing} answers, for every kernel. */
  public List<String> prebuiltMissing = List.of();

  @Override
  public List<String> prebuiltMissing(String kernel) {
    return prebuiltMissing;
  }

  @Override
  public List<String> bootCriticalModules(String kernel) {
    return bootCritical;
  }
}
