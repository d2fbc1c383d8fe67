package dev.parley.security;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.parley.config.ParleyProperties;
import dev.parley.config.RedisKeys;
import dev.parley.config.RedisScripts;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Per client address, the requests that cost the server most or leave something behind: accounts
 * registered, guests created (each kept for weeks), tokens asked for and WebSocket handshakes. Each
 * kind is counted in a window in Redis, shared by every instance; past its count a request gets
 * {@code 429} with {@code Retry-After} and a reason, and is not handled. When Redis cannot count,
 * the request goes on: it will meet Redis again soon enough. Handshakes are counted by the
 * handshake itself ({@link HandshakeThrottle}), in the same round trip as its token's lookup.
 */
public class RequestThrottle extends OncePerRequestFilter {

	private static final Logger log = LoggerFactory.getLogger(RequestThrottle.class);

	static final RedisScript<List> COUNT = RedisScripts.load("throttle", List.class);

	/** A kind of request, and how many of it one address may make in a window. */
	private record Action(String name, int limit) {
	}

	private final StringRedisTemplate redis;

	private final long windowMillis;

	/** By method and path. */
	private final Map<String, Action> actions;

	public RequestThrottle(StringRedisTemplate redis, ParleyProperties.Throttle throttle) {
		this.redis = redis;
		this.windowMillis = throttle.window().toMillis();
		Action accounts = new Action("accounts", throttle.accounts());
		Action guests = new Action("guests", throttle.guests());
		this.actions = Map.of("POST /api/users", accounts, "POST /register", accounts, "POST /api/auth/guest", guests,
				"POST /guest", guests, "POST /api/auth/token", new Action("tokens", throttle.tokens()), "POST /api/rooms",
				new Action("rooms", throttle.rooms()));
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Action action = actions.get(request.getMethod() + " " + request.getRequestURI());
		long retryAfterMillis = action == null ? 0 : overLimit(action, request.getRemoteAddr());
		if (retryAfterMillis > 0) {
			refuse(request, response, action.name(), retryAfterMillis);
			return;
		}
		chain.doFilter(request, response);
	}

	/** How long until the address may make this request again; 0 when it may now. */
	private long overLimit(Action action, String address) {
		try {
			List<?> counted = redis.execute(COUNT, List.of(RedisKeys.throttle(action.name(), address)),
					Long.toString(windowMillis));
			return retryAfterMillis(counted, action.limit());
		}
		catch (DataAccessException ex) {
			log.debug("Could not count a request: {}", ex.toString());
			return 0;
		}
	}

	/** What the count script answered, as how long until the request may be made again; 0 when it may now. */
	static long retryAfterMillis(List<?> counted, int limit) {
		long count = ((Number) counted.get(0)).longValue();
		return count > limit ? Math.max(1, ((Number) counted.get(1)).longValue()) : 0;
	}

	/** A wait as {@code Retry-After} gives it: whole seconds, rounded up. */
	public static long seconds(long retryAfterMillis) {
		return (retryAfterMillis + 999) / 1000;
	}

	/** Why a throttled request was refused, and when it may be made again. */
	public static String reason(String actionName, long seconds) {
		return "too many " + actionName + " from your address: try again in " + seconds + " s";
	}

	/** {@code 429} with {@code Retry-After} and the reason, as JSON under {@code /api/}, else as text. */
	public static void refuse(HttpServletRequest request, HttpServletResponse response, String actionName,
			long retryAfterMillis) throws IOException {
		long seconds = seconds(retryAfterMillis);
		response.setStatus(429);
		response.setHeader("Retry-After", Long.toString(seconds));
		String reason = reason(actionName, seconds);
		if (request.getRequestURI().startsWith("/api/")) {
			response.setContentType("application/json");
			response.getWriter().write("{\"error\":\"" + reason + "\"}");
		}
		else {
			response.setContentType("text/plain;charset=UTF-8");
			response.getWriter().write(reason);
		}
	}

}
