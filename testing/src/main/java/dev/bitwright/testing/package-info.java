/** Test support shared by Bitwright's modules: checks of module boundaries and payload data. */
package dev.bitwright.testing;
