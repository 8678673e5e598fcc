/** Implementation of the DHT module; not part of the API. */
package dev.bitwright.dht.internal;
