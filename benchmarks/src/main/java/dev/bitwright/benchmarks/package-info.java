/**
 * JMH benchmarks of Bitwright. Run {@code java -jar benchmarks/target/benchmarks.jar} after {@code
 * mvn package}; figures are recorded in BENCHMARKS.md.
 */
package dev.bitwright.benchmarks;
