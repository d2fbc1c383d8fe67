package dev.parley.ws;

/**
 * What a connection was opened with: the key of the browser session whose login opened it (null
 * when a token did; logging out of that session closes it) and the client's address (after the
 * trusted proxies), by which an instance caps the connections it holds.
 */
public record Handshake(String sessionKey, String address) {
}
