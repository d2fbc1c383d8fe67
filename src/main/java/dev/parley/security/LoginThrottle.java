package dev.parley.security;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

import jakarta.servlet.http.HttpServletRequest;

import dev.parley.config.ParleyProperties;
import dev.parley.config.RedisKeys;
import dev.parley.config.RedisScripts;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

/**
 * Slows password guessing: after {@code parley.auth.login-attempts} wrong passwords in a row for
 * one username from one address, that username's logins from that address are refused for
 * {@code parley.auth.login-lockout}, the right password included. Counted in Redis, so every
 * instance sees the same count. Keyed by address too, so that nobody can lock a user out from
 * everywhere by guessing on purpose.
 */
@Component
public class LoginThrottle {

	/** Counts a failure; the lockout starts with the first one and is not extended by later ones. */
	private static final RedisScript<Long> FAILED = RedisScripts.load("login-failed", Long.class);

	private final StringRedisTemplate redis;

	private final int attempts;

	private final Duration lockout;

	public LoginThrottle(StringRedisTemplate redis, ParleyProperties properties) {
		this.redis = redis;
		this.attempts = properties.auth().loginAttempts();
		this.lockout = properties.auth().loginLockout();
	}

	/** Which login this request tries: a username from an address; {@code realm} keeps the console's apart. */
	public static String login(String realm, String username, HttpServletRequest request) {
		String name = username == null ? "" : username.trim().toLowerCase(Locale.ROOT);
		return realm + ":" + name + "@" + request.getRemoteAddr();
	}

	public boolean locked(String login) {
		String failures = redis.opsForValue().get(RedisKeys.loginFailures(login));
		return failures != null && Long.parseLong(failures) >= attempts;
	}

	public void failed(String login) {
		redis.execute(FAILED, List.of(RedisKeys.loginFailures(login)), Long.toString(lockout.toMillis()));
	}

	public void succeeded(String login) {
		redis.delete(RedisKeys.loginFailures(login));
	}

	public Duration lockout() {
		return lockout;
	}

}
