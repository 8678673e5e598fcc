package dev.bitwright.examples;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the places where the command-line tool, an application rather than library code, reads the
 * system clock; the forbidden-apis check skips them.
 */
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.METHOD, ElementType.TYPE, ElementType.FIELD})
@interface SuppressForbidden {}
