package dev.parley.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.parley.config.RedisKeys;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * The console's accounts that admins made, besides the configured one: each with a role,
 * {@code admin} (everything) or {@code moderator} (moderation only), and only a BCrypt hash of
 * its password, in Redis so that every instance knows them.
 */
@Component
public class ConsoleAdmins {

	/** The most accounts admins may make. */
	public static final int MAX = 100;

	public static final String ADMIN = "admin";

	public static final String MODERATOR = "moderator";

	private final StringRedisTemplate redis;

	private final PasswordEncoder encoder;

	ConsoleAdmins(StringRedisTemplate redis, PasswordEncoder encoder) {
		this.redis = redis;
		this.encoder = encoder;
	}

	/** An account as kept. */
	public record Account(String name, String role, String passwordHash) {
	}

	public Optional<Account> find(String name) {
		Object stored = redis.opsForHash().get(RedisKeys.CONSOLE_ADMINS, name);
		return stored == null ? Optional.empty() : Optional.of(account(name, (String) stored));
	}

	public List<Account> all() {
		List<Account> accounts = new ArrayList<>();
		for (Map.Entry<Object, Object> entry : redis.opsForHash().entries(RedisKeys.CONSOLE_ADMINS)
			.entrySet()) {
			accounts.add(account((String) entry.getKey(), (String) entry.getValue()));
		}
		accounts.sort((a, b) -> a.name().compareTo(b.name()));
		return accounts;
	}

	/** @return false when the name is taken or {@link #MAX} accounts exist */
	public boolean add(String name, String role, String password) {
		Long count = redis.opsForHash().size(RedisKeys.CONSOLE_ADMINS);
		if (count != null && count >= MAX) {
			return false;
		}
		return redis.opsForHash()
			.putIfAbsent(RedisKeys.CONSOLE_ADMINS, name, role + ":" + encoder.encode(password));
	}

	public boolean remove(String name) {
		Long removed = redis.opsForHash().delete(RedisKeys.CONSOLE_ADMINS, name);
		return removed != null && removed > 0;
	}

	private static Account account(String name, String stored) {
		int colon = stored.indexOf(':');
		return new Account(name, stored.substring(0, colon), stored.substring(colon + 1));
	}

}
