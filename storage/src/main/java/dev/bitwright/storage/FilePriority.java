package dev.bitwright.storage;

/** How much a file is wanted. */
public enum FilePriority {
  /** Not wanted: the file is not created and its pieces are not downloaded for it. */
  SKIP,
  /** Wanted. */
  NORMAL,
  /** Wanted before normal files. */
  HIGH;

  /** {@return whether the file is wanted at all} */
  public boolean isWanted() {
    return this != SKIP;
  }
}
