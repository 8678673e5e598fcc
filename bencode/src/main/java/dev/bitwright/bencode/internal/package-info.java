/** Implementation of the bencode codec; not part of the API. */
package dev.bitwright.bencode.internal;
