package dev.parley.security;

import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import dev.parley.config.ParleyProperties;

import org.springframework.security.web.util.matcher.IpAddressMatcher;
import org.springframework.web.filter.ForwardedHeaderFilter;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Applies {@code X-Forwarded-*} headers (scheme, host, port, client address) only when the request
 * comes from a trusted proxy ({@code parley.proxy.trusted}); from anyone else they are removed, so a
 * client cannot pose as HTTPS or as another host or address. Behind nginx with TLS this is what
 * makes cookies secure and lets a page's {@code https} origin open {@code /ws}.
 * <p>
 * The client's address is the rightmost {@code X-Forwarded-For} hop that is not a trusted proxy:
 * each proxy appends the address it was reached from, so everything left of that hop was written
 * by the client and could be anything (a login throttle counting it could be dodged by changing
 * it). The {@code Forwarded} header is removed even from trusted proxies: nginx passes a client's
 * own one through untouched, and Spring would prefer it.
 */
public class TrustedProxyFilter extends OncePerRequestFilter {

	private static final String FORWARDED_FOR = "X-Forwarded-For";

	private static final String FORWARDED = "Forwarded";

	private final List<IpAddressMatcher> trusted;

	private final ForwardedHeaderFilter apply = new ForwardedHeaderFilter();

	private final ForwardedHeaderFilter remove = new ForwardedHeaderFilter();

	public TrustedProxyFilter(ParleyProperties.Proxy proxy) {
		this.trusted = proxy.trusted().stream().map(IpAddressMatcher::new).toList();
		this.remove.setRemoveOnly(true);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (isTrusted(request.getRemoteAddr())) {
			apply.doFilter(new ForwardedByTrustedProxy(request, clientAddress(request)), response, chain);
		}
		else {
			remove.doFilter(request, response, chain);
		}
	}

	/** The rightmost hop that is not a trusted proxy; the leftmost when all are; null without the header. */
	private String clientAddress(HttpServletRequest request) {
		String header = request.getHeader(FORWARDED_FOR);
		if (header == null || header.isBlank()) {
			return null;
		}
		String[] hops = header.split(",");
		String client = null;
		for (int i = hops.length - 1; i >= 0; i--) {
			client = hops[i].trim();
			if (!isValidAddress(client) || !isTrusted(client)) {
				break;
			}
		}
		return isValidAddress(client) ? client : null;
	}

	private static boolean isValidAddress(String address) {
		return address != null && !address.isEmpty() && address.length() <= 45 && address.chars()
			.allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':');
	}

	private boolean isTrusted(String address) {
		return trusted.stream().anyMatch(matcher -> matches(matcher, address));
	}

	private static boolean matches(IpAddressMatcher matcher, String address) {
		try {
			return matcher.matches(address);
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	/** The request with one {@code X-Forwarded-For} value, the client's (or none), and no {@code Forwarded}. */
	private static final class ForwardedByTrustedProxy extends HttpServletRequestWrapper {

		private final String client;

		ForwardedByTrustedProxy(HttpServletRequest request, String client) {
			super(request);
			this.client = client;
		}

		@Override
		public String getHeader(String name) {
			if (FORWARDED_FOR.equalsIgnoreCase(name)) {
				return client;
			}
			return FORWARDED.equalsIgnoreCase(name) ? null : super.getHeader(name);
		}

		@Override
		public Enumeration<String> getHeaders(String name) {
			if (FORWARDED_FOR.equalsIgnoreCase(name)) {
				return Collections.enumeration(client == null ? List.of() : List.of(client));
			}
			return FORWARDED.equalsIgnoreCase(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
		}

		@Override
		public Enumeration<String> getHeaderNames() {
			List<String> names = Collections.list(super.getHeaderNames());
			names.removeIf(name -> FORWARDED.equalsIgnoreCase(name)
					|| (client == null && FORWARDED_FOR.equalsIgnoreCase(name)));
			return Collections.enumeration(names);
		}

	}

	@Override
	protected boolean shouldNotFilterAsyncDispatch() {
		return false;
	}

	@Override
	protected boolean shouldNotFilterErrorDispatch() {
		return false;
	}

}
