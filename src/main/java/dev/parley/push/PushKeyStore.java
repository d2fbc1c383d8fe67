package dev.parley.push;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.parley.config.RedisKeys;
import dev.parley.config.RedisScripts;
import dev.parley.security.TokenService;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

/**
 * Push API keys made in the admin console, beside those of {@code parley.push.keys}. Redis keeps
 * only each key's SHA-256 digest, with a name and the key's first characters to tell keys apart:
 * the key itself is shown once, when it is made, and can only be revoked, never shown again.
 */
@Component
public class PushKeyStore {

	public static final int MAX_KEYS = 100;

	private static final int KEY_BYTES = 32;

	private static final int ID_LENGTH = 16;

	private static final String PREFIX = "pk_";

	/** Adds a key unless there are {@code ARGV[1]} already; returns 1 when added. */
	private static final RedisScript<Long> ADD = RedisScripts.load("push-key-add", Long.class);

	/** A key as the console lists it; {@code id} is the start of its digest, which revocation names. */
	public record StoredKey(String id, String name, String hint, Instant created) {
	}

	/** A new key: {@code secret} is what callers present, shown this once. */
	public record NewKey(String secret, StoredKey stored) {
	}

	private final SecureRandom random = new SecureRandom();

	private final StringRedisTemplate redis;

	public PushKeyStore(StringRedisTemplate redis) {
		this.redis = redis;
	}

	/** Empty when {@value #MAX_KEYS} keys exist already. */
	public Optional<NewKey> create(String name) {
		byte[] bytes = new byte[KEY_BYTES];
		random.nextBytes(bytes);
		String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
		String digest = TokenService.hash(secret);
		StoredKey stored = new StoredKey(digest.substring(0, ID_LENGTH), name, secret.substring(0, PREFIX.length() + 4) + "…",
				Instant.now());
		Long added = redis.execute(ADD, List.of(RedisKeys.PUSH_KEYS), Integer.toString(MAX_KEYS), digest,
				stored.name() + "\n" + stored.created().toEpochMilli() + "\n" + stored.hint());
		return added != null && added == 1 ? Optional.of(new NewKey(secret, stored)) : Optional.empty();
	}

	/** @return false when no key has that id. */
	public boolean revoke(String id) {
		return digests().stream()
			.filter(digest -> digest.startsWith(id) && id.length() == ID_LENGTH)
			.findFirst()
			.map(digest -> redis.opsForHash().delete(RedisKeys.PUSH_KEYS, digest) > 0)
			.orElse(false);
	}

	/** Every key made in the console, oldest first. */
	public List<StoredKey> list() {
		List<StoredKey> keys = new ArrayList<>();
		for (Map.Entry<Object, Object> entry : redis.opsForHash().entries(RedisKeys.PUSH_KEYS).entrySet()) {
			String[] parts = ((String) entry.getValue()).split("\n", 3);
			keys.add(new StoredKey(((String) entry.getKey()).substring(0, ID_LENGTH), parts[0],
					parts.length > 2 ? parts[2] : "", Instant.ofEpochMilli(Long.parseLong(parts[1]))));
		}
		keys.sort(Comparator.comparing(StoredKey::created));
		return keys;
	}

	/** Looked up by digest: nothing about a wrong key's closeness to a right one shows. */
	public boolean accepts(String presented) {
		if (presented == null || !presented.startsWith(PREFIX) || presented.length() > 256) {
			return false;
		}
		return redis.opsForHash().hasKey(RedisKeys.PUSH_KEYS, TokenService.hash(presented));
	}

	private List<String> digests() {
		return redis.opsForHash().keys(RedisKeys.PUSH_KEYS).stream().map(String.class::cast).toList();
	}

}
