/** A user's application, run on the module path: it reads Bitwright's one public package. */
module com.example.consumer {
  requires dev.bitwright.session;
}
