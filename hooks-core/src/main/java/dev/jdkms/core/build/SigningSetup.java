package dev.jdkms.core.build;

import dev.jdkms.core.conf.ConfException;
import dev.jdkms.core.conf.FrameworkConf;
import dev.jdkms.core.console.Console;
import dev.jdkms.core.kernel.KernelConfig;
import dev.jdkms.core.session.Session;
import dev.jdkms.core.sign.MokGenerator;
import dev.jdkms.core.sign.MokLocation;
import dev.jdkms.core.sign.SigningException;
import dev.jdkms.core.sign.SigningPlan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * upstream's {@code prepare_signing} and {@code prepare_mok}: decides per kernel whether and how
 * modules are signed, printing the same prologue lines, and creates the MOK key pair when missing —
 * in Java, so no openssl is needed.
 */
public final class SigningSetup {
  /** jdkms_signer=builtin in framework.conf selects the pure-Java signer over sign-file. */
  public static final String BUILTIN = "builtin";

  private final Session session;

  public SigningSetup(Session session) {
    this.session = session;
  }

  public SigningPlan prepare(String kernel, String arch) throws IOException {
    Console out = session.console();
    Map<String, String> cfg = signingSettings(kernel, arch);
    String trySign = cfg.getOrDefault("try_sign_modules", "");
    if (trySign.equals("false")) {
      out.println("Module signing is disabled by policy, modules won't be signed");
      return SigningPlan.disabled();
    }
    if (!trySign.equals("true")
        && ChrootDetector.runningInChroot(session.environment(), session.host().proc())) {
      out.println("Running in chroot, modules won't be signed");
      return SigningPlan.disabled();
    }
    Path kconfigPath = session.kernelConfig(kernel);
    Optional<KernelConfig> kconfig = KernelConfig.read(kconfigPath);
    if (kconfig.isEmpty()) {
      out.println("Kernel config " + kconfigPath + " not found, modules won't be signed");
      return SigningPlan.disabled();
    }
    if (!kconfig.get().hasLineStartingWith("CONFIG_MODULE_SIG_HASH=")) {
      out.println("The kernel is built without module signing facility, modules won't be signed");
      return SigningPlan.disabled();
    }
    String hash = kconfig.get().value("CONFIG_MODULE_SIG_HASH").orElse("");
    boolean builtin = BUILTIN.equals(cfg.getOrDefault("jdkms_signer", ""));
    String signFile = cfg.getOrDefault("sign_file", "");
    if (builtin) {
      out.println("Sign command: jdkms built-in signer");
    } else {
      if (signFile.isEmpty()) {
        signFile = defaultSignFile(kernel);
      }
      out.println("Sign command: " + signFile);
      Path sf = Path.of(signFile);
      if (!Files.isRegularFile(sf) || !Files.isExecutable(sf)) {
        out.println("Binary " + signFile + " not found, modules won't be signed");
        return SigningPlan.disabled();
      }
    }
    Optional<Path[]> mok = prepareMok(cfg);
    if (mok.isEmpty()) {
      return SigningPlan.disabled();
    }
    return new SigningPlan(
        true, builtin ? null : Path.of(signFile), hash, mok.get()[0], mok.get()[1]);
  }

  private String defaultSignFile(String kernel) {
    String sf = "";
    if (session.distribution().is("debian")) {
      int dot = kernel.lastIndexOf('.');
      String prefix = dot < 0 ? kernel : kernel.substring(0, dot);
      sf = session.host().usrLib() + "/linux-kbuild-" + prefix + "/scripts/sign-file";
    } else if (session.distribution().is("ubuntu")) {
      sf = session.host().sourceTree() + "/linux-headers-" + kernel + "/scripts/sign-file";
    } else if (session.distribution().is("gentoo")) {
      sf = session.host().sourceTree() + "/linux-" + kernel + "/scripts/sign-file";
    }
    if (sf.isEmpty() || !Files.isRegularFile(Path.of(sf))) {
      sf = session.installTree().resolve(kernel).resolve("build/scripts/sign-file").toString();
    }
    return sf;
  }

  /** {@code dkms generate_mok}: the key pair of the signing settings, created when missing. */
  public boolean generateMok() throws IOException {
    String k = session.request().kernels.isEmpty() ? "" : session.request().kernels.get(0);
    String a = session.request().arches.isEmpty() ? "" : session.request().arches.get(0);
    return prepareMok(signingSettings(k, a)).isPresent();
  }

  /** The key pair builds for {@code kernel} sign with, as {@link #prepare} finds it. */
  public MokLocation mokLocation(String kernel, String arch) throws IOException {
    return location(signingSettings(kernel, arch));
  }

  private MokLocation location(Map<String, String> cfg) {
    return MokLocation.resolve(
        cfg.getOrDefault("mok_signing_key", ""),
        cfg.getOrDefault("mok_certificate", ""),
        session.host().mokKey(),
        session.host().mokCertificate(),
        Files::isRegularFile);
  }

  /** {@code prepare_mok}: prints the key lines, generates the pair if needed. */
  Optional<Path[]> prepareMok(Map<String, String> cfg) {
    Console out = session.console();
    MokLocation mok = location(cfg);
    String key = mok.key();
    String cert = mok.certificate();
    out.println("Signing key: " + key);
    out.println("Public certificate (MOK): " + cert);
    Path k = Path.of(key);
    Path c = Path.of(cert);
    if (!key.startsWith("pkcs11:") && (!Files.isRegularFile(k) || !Files.isRegularFile(c))) {
      out.println("Certificate or key are missing, generating self signed certificate for MOK...");
      try {
        MokGenerator.generate(k, c);
      } catch (SigningException e) {
        // Reported below exactly as upstream reports a failed openssl run.
      }
      // openssl writes the key before the certificate, so upstream reports the key only when
      // its directory is missing; jdkms writes both or neither but reports the same way.
      Path keyDir = k.toAbsolutePath().getParent();
      if (!Files.isRegularFile(k) && (keyDir == null || !Files.isDirectory(keyDir))) {
        out.println(
            "Key file " + key + " not found and can't be generated, modules won't be signed");
        return Optional.empty();
      }
    }
    if (!Files.isRegularFile(c)) {
      out.println(
          "Certificate file "
              + cert
              + " not found and can't be generated, modules won't be signed");
      return Optional.empty();
    }
    return Optional.of(new Path[] {k, c});
  }

  /** The signing variables: environment first, then framework.conf read with $kernelver set. */
  private Map<String, String> signingSettings(String kernel, String arch) throws IOException {
    Map<String, String> ctx = dev.jdkms.core.conf.ShellEvaluator.context();
    ctx.put("kernelver", kernel);
    ctx.put("arch", arch);
    ctx.put("dkms_tree", session.setting("dkms_tree"));
    ctx.put("install_tree", session.setting("install_tree"));
    for (String v : FrameworkConf.SIGNING) {
      String env = session.environment().get(v);
      if (env != null) {
        ctx.put(v, env);
      } else if (session.hasSetting(v)) {
        ctx.put(v, session.setting(v));
      }
    }
    try {
      return new FrameworkConf(session.host().etcDkms(), session.evaluator())
          .read(ctx, FrameworkConf.SIGNING);
    } catch (ConfException e) {
      return ctx;
    }
  }
}
