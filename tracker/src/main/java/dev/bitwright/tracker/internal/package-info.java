/** Implementation of the tracker module; not part of the API. */
package dev.bitwright.tracker.internal;
