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
 * Bearer tokens for non-browser clients, opaque to them. Only a SHA-256 of each token is stored, so
 * a Redis dump reveals no usable token; each expires after {@code parley.auth.token-ttl}. Each user's
 * tokens are listed, so that they go with the user ({@code UserPurge}).
 * <p>
 * A token begins with the id of the user it was issued to ({@code base64url(id) "." secret}), so
 * that a handshake can read the user's standing and rooms in the same round trip as the token's
 * lookup, instead of after it. The claim counts for nothing until the lookup confirms it.
 */
@Service
public class TokenService {

	private static final String BEARER = "Bearer ";

	private static final int TOKEN_BYTES = 32;

	private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

	/** Not in base64url's alphabet: the claimed user's id ends at the first one. */
	private static final char CLAIM_END = '.';

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
		String token = ENCODER.encodeToString(userId.getBytes(StandardCharsets.UTF_8)) + CLAIM_END
				+ ENCODER.encodeToString(bytes);
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

	/**
	 * The id of the user {@code token} says it was issued to, unchecked: empty for a token issued
	 * before tokens named their user, or one that is not Parley's.
	 */
	public static Optional<String> claimedUser(String token) {
		int end = wellFormed(token) ? token.indexOf(CLAIM_END) : -1;
		if (end <= 0) {
			return Optional.empty();
		}
		try {
			return Optional.of(new String(Base64.getUrlDecoder().decode(token.substring(0, end)), StandardCharsets.UTF_8));
		}
		catch (IllegalArgumentException ex) {
			return Optional.empty();
		}
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
