package dev.parley.ws;

import java.security.Principal;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import jakarta.servlet.http.HttpServletRequest;

import dev.parley.config.ParleyProperties;
import dev.parley.config.RedisAsync;
import dev.parley.delivery.Hub;
import dev.parley.presence.PresenceManager;
import dev.parley.security.TokenService;
import dev.parley.user.User;
import dev.parley.user.UserService;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Admits the {@code /ws} handshake: the logged-in browser session, else
 * {@code Authorization: Bearer <token>}, else {@code ?token=}. Without one: {@code 401}, no upgrade;
 * a banned user: {@code 403} with the reason; a user who holds {@code parley.throttle.connections-per-user} live
 * connections already, or an address that holds {@code parley.throttle.connections-per-address} of
 * this instance's: {@code 429}; an instance shutting down: {@code 503}.
 */
@Component
class HandshakeAuthenticator {

	/** The user to connect, or the status that refuses the handshake (and for a ban, the admin's reason). */
	record Admission(User user, HttpStatus refusal, String banReason) {

		static Admission of(User user) {
			return new Admission(user, null, null);
		}

		static Admission refused(HttpStatus status) {
			return new Admission(null, status, null);
		}

		static Admission banned(String reason) {
			return new Admission(null, HttpStatus.FORBIDDEN, reason);
		}

	}

	private final UserService users;

	private final TokenService tokens;

	private final PresenceManager presence;

	private final int connectionsPerUser;

	private final int connectionsPerAddress;

	private final Hub hub;

	private final RedisAsync redis;

	private volatile boolean accepting = true;

	HandshakeAuthenticator(UserService users, TokenService tokens, PresenceManager presence, Hub hub, RedisAsync redis,
			ParleyProperties properties) {
		this.hub = hub;
		this.redis = redis;
		this.connectionsPerAddress = properties.throttle().connectionsPerAddress();
		this.users = users;
		this.tokens = tokens;
		this.presence = presence;
		this.connectionsPerUser = properties.throttle().connectionsPerUser();
	}

	/** From now on handshakes get 503, so that a proxy sends them to another instance. */
	void stopAccepting() {
		accepting = false;
	}

	void startAccepting() {
		accepting = true;
	}

	Admission admit(HttpServletRequest request) {
		if (!accepting) {
			return Admission.refused(HttpStatus.SERVICE_UNAVAILABLE);
		}
		if (hub.connectionsFrom(request.getRemoteAddr()) >= connectionsPerAddress) {
			return Admission.refused(HttpStatus.TOO_MANY_REQUESTS);
		}
		Optional<String> userId = userId(request);
		if (userId.isEmpty()) {
			return Admission.refused(HttpStatus.UNAUTHORIZED);
		}
		// one round trip for the three: each would otherwise hold this thread for its own
		CompletableFuture<UserService.Standing> standing = users.standing(userId.get());
		CompletableFuture<Long> live = presence.liveConnectionsAsync(UserService.normalize(userId.get()));
		redis.awaitAll(List.of(standing, live));
		Optional<User> user = standing.join().user();
		if (user.isEmpty()) {
			return Admission.refused(HttpStatus.UNAUTHORIZED);
		}
		if (standing.join().banned()) {
			return Admission.banned(users.banReason(user.get().id()));
		}
		if (live.join() >= connectionsPerUser) {
			return Admission.refused(HttpStatus.TOO_MANY_REQUESTS);
		}
		users.touch(user.get());
		return Admission.of(user.get());
	}

	private Optional<String> userId(HttpServletRequest request) {
		Principal principal = request.getUserPrincipal();
		if (principal != null) {
			return Optional.of(principal.getName());
		}
		Optional<String> bearer = TokenService.bearer(request.getHeader(HttpHeaders.AUTHORIZATION));
		if (bearer.isPresent()) {
			return bearer.flatMap(tokens::resolve);
		}
		String token = request.getParameter("token");
		return token == null ? Optional.empty() : tokens.resolve(token);
	}

}
