package dev.parley.chat;

import java.security.Principal;
import java.util.Map;
import java.util.Optional;

import dev.parley.security.TokenService;
import dev.parley.user.User;
import dev.parley.user.UserService;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Authenticates the {@code /ws} handshake: the logged-in browser session, else
 * {@code Authorization: Bearer <token>}, else {@code ?token=}. Without one: {@code 401}, no upgrade;
 * a banned user: {@code 403}.
 */
@Component
class HandshakeAuthenticator implements HandshakeInterceptor {

	private static final String BEARER = "Bearer ";

	private final UserService users;

	private final TokenService tokens;

	private volatile boolean accepting = true;

	HandshakeAuthenticator(UserService users, TokenService tokens) {
		this.users = users;
		this.tokens = tokens;
	}

	/** From now on handshakes get 503, so that a proxy sends them to another instance. */
	void stopAccepting() {
		accepting = false;
	}

	void startAccepting() {
		accepting = true;
	}

	@Override
	public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
			Map<String, Object> attributes) {
		if (!accepting) {
			response.setStatusCode(HttpStatus.SERVICE_UNAVAILABLE);
			return false;
		}
		Optional<User> user = userId(request).flatMap(users::find);
		if (user.isEmpty()) {
			response.setStatusCode(HttpStatus.UNAUTHORIZED);
			return false;
		}
		if (users.isBanned(user.get().id())) {
			response.setStatusCode(HttpStatus.FORBIDDEN);
			return false;
		}
		users.touch(user.get());
		attributes.put(ChatWebSocketHandler.USER_ATTRIBUTE, user.get());
		return true;
	}

	@Override
	public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
			Exception exception) {
	}

	private Optional<String> userId(ServerHttpRequest request) {
		Principal principal = request.getPrincipal();
		if (principal != null) {
			return Optional.of(principal.getName());
		}
		String header = request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
		if (header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
			return tokens.resolve(header.substring(BEARER.length()).trim());
		}
		String token = UriComponentsBuilder.fromUri(request.getURI()).build().getQueryParams().getFirst("token");
		return token == null ? Optional.empty() : tokens.resolve(token);
	}

}
