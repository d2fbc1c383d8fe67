package dev.parley.security;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.parley.user.User;
import dev.parley.user.UserService;

import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Lets a client without a browser session call the chat's JSON endpoints ({@code /api/rooms},
 * {@code /api/conversations}, {@code /api/files}) and fetch shared files ({@code /files/...}) with the
 * token it connects to {@code /ws} with: a valid
 * {@code Authorization: Bearer <token>} signs the request in as the token's user, for this request
 * only (nothing is kept in a session). Any other request passes untouched.
 */
class BearerTokenFilter extends OncePerRequestFilter {

	private final TokenService tokens;

	private final UserService users;

	private final SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();

	BearerTokenFilter(TokenService tokens, UserService users) {
		this.tokens = tokens;
		this.users = users;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		String path = request.getRequestURI().substring(request.getContextPath().length());
		return !path.startsWith("/api/") && !path.startsWith("/files/");
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Optional<User> user = TokenService.bearer(request.getHeader(HttpHeaders.AUTHORIZATION))
			.flatMap(tokens::resolve)
			.flatMap(users::find);
		if (user.isPresent()) {
			SecurityContext context = contexts.createEmptyContext();
			context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(user.get().id(), null,
					List.of(new SimpleGrantedAuthority("ROLE_" + RedisUserDetailsService.roleOf(user.get())))));
			contexts.setContext(context);
		}
		chain.doFilter(request, response);
	}

}
