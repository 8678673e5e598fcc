/**
 * The {@code bitwright} command-line tool ({@link dev.bitwright.examples.Main}) and runnable
 * examples of the library.
 */
package dev.bitwright.examples;
