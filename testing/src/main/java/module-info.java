/** Test support shared by Bitwright's modules. */
module dev.bitwright.testing {
  requires org.assertj.core;
  requires jdk.httpserver;
  requires java.management;

  exports dev.bitwright.testing;
}
