package dev.jdkms.tests.harness;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class whose methods drive a real {@code dkms} in sandboxes: the implementation is
 * installed once per class, and each test method gets a fresh {@link Sandbox} parameter holding
 * that installation (see {@link DkmsSandboxExtension}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(DkmsSandboxExtension.class)
public @interface DkmsTest {}
