/** Implementation of the storage module; not part of the API. */
package dev.bitwright.storage.internal;
