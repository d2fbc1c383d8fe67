package dev.parley.ws;

import java.security.Principal;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import jakarta.servlet.http.HttpServletRequest;

import dev.parley.config.ParleyProperties;
import dev.parley.config.RedisAsync;
import dev.parley.delivery.Hub;
import dev.parley.presence.PresenceManager;
import dev.parley.room.RoomService;
import dev.parley.security.HandshakeThrottle;
import dev.parley.security.RequestThrottle;
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
 * connections already, an address that holds {@code parley.throttle.connections-per-address} of
 * this instance's, or one past {@code parley.throttle.handshakes} in the window ({@link HandshakeThrottle}):
 * {@code 429}; an instance shutting down: {@code 503}.
 */
@Component
class HandshakeAuthenticator {

	/**
	 * The user to connect with the rooms they are a member of, or the status that refuses the
	 * handshake (for a ban, with the admin's reason; for the handshake throttle, with the time until
	 * the address may try again).
	 */
	record Admission(User user, List<String> rooms, HttpStatus refusal, String banReason, long retryAfterMillis) {

		static Admission of(User user, Collection<String> rooms) {
			return new Admission(user, List.copyOf(rooms), null, null, 0);
		}

		static Admission refused(HttpStatus status) {
			return new Admission(null, List.of(), status, null, 0);
		}

		static Admission banned(String reason) {
			return new Admission(null, List.of(), HttpStatus.FORBIDDEN, reason, 0);
		}

		static Admission throttled(long retryAfterMillis) {
			return new Admission(null, List.of(), HttpStatus.TOO_MANY_REQUESTS, null, retryAfterMillis);
		}

		/**
		 * The refusal's {@code Retry-After}: the throttle's wait, or {@link #RETRY_AFTER_SECONDS} for a
		 * cap or an instance that does not accept; null when trying again will not help.
		 */
		String retryAfter() {
			if (retryAfterMillis > 0) {
				return Long.toString(RequestThrottle.seconds(retryAfterMillis));
			}
			return refusal == HttpStatus.TOO_MANY_REQUESTS || refusal == HttpStatus.SERVICE_UNAVAILABLE
					? RETRY_AFTER_SECONDS : null;
		}

	}

	/** When a refused handshake may try again: a connection cap or a shutdown lasts about that long. */
	static final String RETRY_AFTER_SECONDS = "10";

	private final UserService users;

	private final TokenService tokens;

	private final PresenceManager presence;

	private final int connectionsPerUser;

	private final int connectionsPerAddress;

	private final Hub hub;

	private final RedisAsync redis;

	private final RoomService rooms;

	private final HandshakeThrottle throttle;

	private volatile boolean accepting = true;

	HandshakeAuthenticator(UserService users, TokenService tokens, PresenceManager presence, Hub hub, RedisAsync redis,
			RoomService rooms, HandshakeThrottle throttle, ParleyProperties properties) {
		this.hub = hub;
		this.rooms = rooms;
		this.throttle = throttle;
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

	/** As {@link #admitAsync}, waiting for it: the servlet path's handshakes, which carry a browser's login. */
	Admission admit(HttpServletRequest request) {
		Principal principal = request.getUserPrincipal();
		Optional<String> bearer = TokenService.bearer(request.getHeader(HttpHeaders.AUTHORIZATION));
		return redis.await(admitAsync(request.getRemoteAddr(), principal == null ? null : principal.getName(),
				bearer.orElseGet(() -> request.getParameter("token"))));
	}

	/**
	 * One round trip to Redis when the user is known before it (a login, or a token that names its
	 * user), with no thread waiting for it: the handshake's count, the token's lookup, and the user,
	 * their ban, their live connections and their rooms, all sent at once. A token that does not name
	 * its user (issued before tokens did) takes two: its lookup, then the user's. The user is
	 * {@code principal} when the request carries a login, else the one {@code token} (if any) names.
	 */
	CompletableFuture<Admission> admitAsync(String address, String principal, String token) {
		if (!accepting) {
			return CompletableFuture.completedFuture(Admission.refused(HttpStatus.SERVICE_UNAVAILABLE));
		}
		if (hub.connectionsFrom(address) >= connectionsPerAddress) {
			return CompletableFuture.completedFuture(Admission.refused(HttpStatus.TOO_MANY_REQUESTS));
		}
		CompletableFuture<Long> throttled = throttle.count(address);
		Optional<String> claimed = principal != null ? Optional.of(principal) : TokenService.claimedUser(token);
		CompletableFuture<Optional<String>> userId = principal != null
				? CompletableFuture.completedFuture(Optional.of(principal))
				: token == null ? CompletableFuture.completedFuture(Optional.empty()) : tokens.resolveAsync(token);
		CompletableFuture<UserReads> early = claimed.map(this::read)
			.orElseGet(() -> CompletableFuture.completedFuture(null));
		return redis.within(CompletableFuture.allOf(throttled, userId, early).thenCompose(ignored -> {
			if (throttled.join() > 0) {
				return CompletableFuture.completedFuture(Admission.throttled(throttled.join()));
			}
			Optional<String> confirmed = userId.join();
			if (confirmed.isEmpty() || claimed.isPresent() && !confirmed.equals(claimed)) {
				return CompletableFuture.completedFuture(Admission.refused(HttpStatus.UNAUTHORIZED));
			}
			return claimed.isPresent() ? decide(early.join()) : read(confirmed.get()).thenCompose(this::decide);
		}));
	}

	/** What decides a user's admission, read in one round trip. */
	private record UserReads(UserService.Standing standing, long live, Set<String> rooms) {
	}

	private CompletableFuture<UserReads> read(String userId) {
		String id = UserService.normalize(userId);
		CompletableFuture<UserService.Standing> standing = users.standing(id);
		CompletableFuture<Long> live = presence.liveConnectionsAsync(id);
		CompletableFuture<Set<String>> memberships = rooms.roomsOfAsync(id);
		return CompletableFuture.allOf(standing, live, memberships)
			.thenApply(ignored -> new UserReads(standing.join(), live.join(), memberships.join()));
	}

	private CompletableFuture<Admission> decide(UserReads reads) {
		Optional<User> user = reads.standing().user();
		if (user.isEmpty()) {
			return CompletableFuture.completedFuture(Admission.refused(HttpStatus.UNAUTHORIZED));
		}
		if (reads.standing().banned()) {
			return users.banReasonAsync(user.get().id()).thenApply(Admission::banned);
		}
		if (reads.live() >= connectionsPerUser) {
			return CompletableFuture.completedFuture(Admission.refused(HttpStatus.TOO_MANY_REQUESTS));
		}
		users.touch(user.get());
		return CompletableFuture.completedFuture(Admission.of(user.get(), reads.rooms()));
	}

}
