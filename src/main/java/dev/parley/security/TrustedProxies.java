package dev.parley.security;

import java.util.List;

import dev.parley.config.ParleyProperties;

import org.springframework.security.web.util.matcher.IpAddressMatcher;

/**
 * The proxies whose {@code X-Forwarded-For} counts ({@code parley.proxy.trusted}), and the client's
 * address that header gives: its rightmost hop that is not a trusted proxy. Each proxy appends the
 * address it was reached from, so everything left of that hop was written by the client and could
 * be anything (a throttle counting it could be dodged by changing it).
 */
public final class TrustedProxies {

	private final List<IpAddressMatcher> trusted;

	public TrustedProxies(ParleyProperties.Proxy proxy) {
		this.trusted = proxy.trusted().stream().map(IpAddressMatcher::new).toList();
	}

	/**
	 * The address a request came from: {@code peer}, or when that is a trusted proxy, the client's
	 * address in its {@code X-Forwarded-For} (the peer's own when the header names none).
	 */
	public String remoteAddress(String peer, String forwardedFor) {
		if (!isTrusted(peer)) {
			return peer;
		}
		String client = clientAddress(forwardedFor);
		return client == null ? peer : client;
	}

	/** The rightmost hop that is not a trusted proxy; the leftmost when all are; null without the header. */
	String clientAddress(String forwardedFor) {
		if (forwardedFor == null || forwardedFor.isBlank()) {
			return null;
		}
		String[] hops = forwardedFor.split(",");
		String client = null;
		for (int i = hops.length - 1; i >= 0; i--) {
			client = hops[i].trim();
			if (!isValidAddress(client) || !isTrusted(client)) {
				break;
			}
		}
		return isValidAddress(client) ? client : null;
	}

	boolean isTrusted(String address) {
		return trusted.stream().anyMatch(matcher -> matches(matcher, address));
	}

	private static boolean isValidAddress(String address) {
		return address != null && !address.isEmpty() && address.length() <= 45 && address.chars()
			.allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':');
	}

	private static boolean matches(IpAddressMatcher matcher, String address) {
		try {
			return matcher.matches(address);
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

}
