package dev.parley.security;

import java.io.IOException;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.parley.config.ParleyProperties;

import org.springframework.security.web.util.matcher.IpAddressMatcher;
import org.springframework.web.filter.ForwardedHeaderFilter;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Applies {@code Forwarded} and {@code X-Forwarded-*} headers (scheme, host, port, client address)
 * only when the request comes from a trusted proxy ({@code parley.proxy.trusted}); from anyone else
 * they are removed, so a client cannot pose as HTTPS or as another host or address. Behind nginx
 * with TLS this is what makes cookies secure and lets a page's {@code https} origin open
 * {@code /ws}.
 */
public class TrustedProxyFilter extends OncePerRequestFilter {

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
		ForwardedHeaderFilter filter = isTrusted(request.getRemoteAddr()) ? apply : remove;
		filter.doFilter(request, response, chain);
	}

	private boolean isTrusted(String address) {
		return trusted.stream().anyMatch(matcher -> matcher.matches(address));
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
