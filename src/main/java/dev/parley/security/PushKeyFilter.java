package dev.parley.security;

import java.io.IOException;
import java.util.List;
import java.util.function.Predicate;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates a push API call by its {@code Authorization: Bearer <key>}: a known key makes the
 * request a {@code PUSH} caller for this request only (nothing is kept in a session).
 */
class PushKeyFilter extends OncePerRequestFilter {

	static final String ROLE = "PUSH";

	private final Predicate<String> knownKey;

	private final SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();

	PushKeyFilter(Predicate<String> knownKey) {
		this.knownKey = knownKey;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (TokenService.bearer(request.getHeader(HttpHeaders.AUTHORIZATION)).filter(knownKey).isPresent()) {
			SecurityContext context = contexts.createEmptyContext();
			context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated("push-api", null,
					List.of(new SimpleGrantedAuthority("ROLE_" + ROLE))));
			contexts.setContext(context);
		}
		chain.doFilter(request, response);
	}

}
