/**
 * Web seeds' HTTP (BEP 19): where a web seed serves each file ({@link
 * dev.bitwright.session.internal.web.WebSeedUrl}), the ranged requests a run of blocks takes
 * ({@link dev.bitwright.session.internal.web.WebJob}), and fetching them with the answer checked
 * ({@link dev.bitwright.session.internal.web.WebSeedClient}). The policy (what to ask, back-off,
 * bans) is the torrent's. Uses {@code peer} for the value {@code Block} only.
 */
package dev.bitwright.session.internal.web;
