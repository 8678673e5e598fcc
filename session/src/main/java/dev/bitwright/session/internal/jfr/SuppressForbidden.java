package dev.bitwright.session.internal.jfr;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the event classes for forbidden-apis: {@code jdk.jfr} is a supported JDK API (the module
 * {@code jdk.jfr}), which its {@code jdk-non-portable} signatures count as internal because the
 * module's name does not start with {@code java.}. Only this room uses it: the other rooms call the
 * methods the events declare, never those of {@code jdk.jfr.Event}.
 */
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
@interface SuppressForbidden {}
