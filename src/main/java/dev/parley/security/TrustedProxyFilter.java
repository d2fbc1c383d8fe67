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

import org.springframework.web.filter.ForwardedHeaderFilter;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Applies {@code X-Forwarded-*} headers (scheme, host, port, client address) only when the request
 * comes from a trusted proxy ({@code parley.proxy.trusted}); from anyone else they are removed, so a
 * client cannot pose as HTTPS or as another host or address. Behind nginx with TLS this is what
 * makes cookies secure and lets a page's {@code https} origin open {@code /ws}.
 * <p>
 * The client's address is {@link TrustedProxies#clientAddress}. The {@code Forwarded} header is
 * removed even from trusted proxies: nginx passes a client's own one through untouched, and Spring
 * would prefer it.
 */
public class TrustedProxyFilter extends OncePerRequestFilter {

	private static final String FORWARDED_FOR = "X-Forwarded-For";

	private static final String FORWARDED = "Forwarded";

	private final TrustedProxies trusted;

	private final ForwardedHeaderFilter apply = new ForwardedHeaderFilter();

	private final ForwardedHeaderFilter remove = new ForwardedHeaderFilter();

	public TrustedProxyFilter(ParleyProperties.Proxy proxy) {
		this.trusted = new TrustedProxies(proxy);
		this.remove.setRemoveOnly(true);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (trusted.isTrusted(request.getRemoteAddr())) {
			apply.doFilter(new ForwardedByTrustedProxy(request, trusted.clientAddress(request.getHeader(FORWARDED_FOR))),
					response, chain);
		}
		else {
			remove.doFilter(request, response, chain);
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
