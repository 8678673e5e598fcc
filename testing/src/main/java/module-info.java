/** Test support shared by Bitwright's modules. */
module dev.bitwright.testing {
  requires org.assertj.core;
  requires jdk.httpserver;

  exports dev.bitwright.testing;
}
