/** Implementation of the metainfo module; not part of the API. */
package dev.bitwright.metainfo.internal;
