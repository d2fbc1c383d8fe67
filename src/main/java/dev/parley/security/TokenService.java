package dev.parley.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import dev.parley.config.ParleyProperties;
import dev.parley.config.RedisAsync;
import dev.parley.config.RedisKeys;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Service;

/**
 * Opaque bearer tokens for non-browser clients. Only a SHA-256 of each token is stored, so a
 * Redis dump reveals no usable token; each expires after {@code parley.auth.token-ttl}. Each user's
 * tokens are listed, so that they go with the user ({@code UserPurge}).
 */
@Service
public class TokenService {

	private static final String BEARER = "Bearer ";

	private static final int TOKEN_BYTES = 32;

	private final SecureRandom random = new SecureRandom();

	private final StringRedisTemplate redis;

	private final RedisAsync async;

	private final Duration ttl;

	public TokenService(StringRedisTemplate redis, RedisAsync async, ParleyProperties properties) {
		this.redis = redis;
		this.async = async;
		this.ttl = properties.auth().tokenTtl();
	}

	public String issue(String userId) {
		byte[] bytes = new byte[TOKEN_BYTES];
		random.nextBytes(bytes);
		String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
		String tokenHash = hash(token);
		redis.opsForValue().set(RedisKeys.token(tokenHash), userId, ttl);
		redis.opsForSet().add(RedisKeys.userTokens(userId), tokenHash);
		redis.expire(RedisKeys.userTokens(userId), ttl);
		return token;
	}

	public Optional<String> resolve(String token) {
		if (!wellFormed(token)) {
			return Optional.empty();
		}
		return Optional.ofNullable(redis.opsForValue().get(RedisKeys.token(hash(token))));
	}

	/** As {@link #resolve}, without waiting: sent now, to be awaited with other commands. */
	public CompletableFuture<Optional<String>> resolveAsync(String token) {
		if (!wellFormed(token)) {
			return CompletableFuture.completedFuture(Optional.empty());
		}
		return async.commands().get(RedisKeys.token(hash(token))).toCompletableFuture().thenApply(Optional::ofNullable);
	}

	private static boolean wellFormed(String token) {
		return token != null && !token.isBlank() && token.length() <= 256;
	}

	/**
	 * The credential of an {@code Authorization: Bearer <credential>} header; the scheme in any case
	 * (RFC 7235). Empty for a missing header, another scheme or a blank credential.
	 */
	public static Optional<String> bearer(String authorization) {
		if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
			return Optional.empty();
		}
		String credential = authorization.substring(BEARER.length()).trim();
		return credential.isEmpty() ? Optional.empty() : Optional.of(credential);
	}

	/** The hex SHA-256 of a secret: what is stored or compared instead of the secret itself. */
	public static String hash(String secret) {
		try {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			return HexFormat.of().formatHex(digest.digest(secret.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is part of every JRE", ex);
		}
	}

}
