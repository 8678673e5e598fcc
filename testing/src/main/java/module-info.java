/** Test support shared by Bitwright's modules. */
module dev.bitwright.testing {
  requires org.assertj.core;

  exports dev.bitwright.testing;
}
