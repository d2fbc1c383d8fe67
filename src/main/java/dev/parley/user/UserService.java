package dev.parley.user;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.lettuce.core.KeyValue;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

import dev.parley.config.ParleyProperties;
import dev.parley.config.RedisAsync;
import dev.parley.config.RedisKeys;
import dev.parley.config.RedisScripts;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;

/**
 * Users in Redis: one hash per user, keyed by the lower-cased username. Guests expire after
 * {@code parley.auth.guest-ttl} without a visit.
 */
@Service
public class UserService {

	private static final Logger log = LoggerFactory.getLogger(UserService.class);

	static final String USERNAME_PATTERN = "^[A-Za-z0-9._-]{3,32}$";

	private static final String NAME = "name";

	private static final String PASSWORD = "password";

	private static final String GUEST = "guest";

	private static final String BOT = "bot";

	private static final String ADDRESS = "address";

	/** What a banned user is told when the admin gave no reason. */
	public static final String NO_BAN_REASON = "An admin banned you.";

	/** The user the admins' room announcements come from; like the bot, no one can log in as it. */
	public static final String ANNOUNCER_ID = "parley-admins";

	private static final int MAX_GUEST_ATTEMPTS = 50;

	private static final RedisScript<Long> CREATE_USER = RedisScripts.load("create-user", Long.class);

	private static final RedisScript<Long> ENSURE_BOT = RedisScripts.load("ensure-bot", Long.class);

	/**
	 * How long hot paths (private messages, who is online) may reuse a user read from Redis. A
	 * user's id, name and flags never change once created, so this only bounds how long a deleted
	 * or expired user still looks present. Only users that exist are kept: a new user is found at once.
	 */
	static final Duration PROFILE_TTL = Duration.ofMinutes(1);

	private static final int PROFILE_CACHE_SIZE = 50_000;

	private final Cache<String, User> profiles = Caffeine.newBuilder()
		.maximumSize(PROFILE_CACHE_SIZE)
		.expireAfterWrite(PROFILE_TTL)
		.build();

	private final StringRedisTemplate redis;

	private final RedisAsync async;

	private final PasswordEncoder passwordEncoder;

	private final Duration guestTtl;

	private final UserPurge purge;

	private final UserDirectory directory;

	public UserService(StringRedisTemplate redis, RedisAsync async, PasswordEncoder passwordEncoder,
			UserPurge purge, UserDirectory directory, ParleyProperties properties) {
		this.redis = redis;
		this.async = async;
		this.passwordEncoder = passwordEncoder;
		this.purge = purge;
		this.directory = directory;
		this.guestTtl = properties.auth().guestTtl();
	}

	public static String normalize(String username) {
		return username == null ? "" : username.trim().toLowerCase(Locale.ROOT);
	}

	public Optional<User> find(String userId) {
		String id = normalize(userId);
		return user(id, redis.opsForHash().entries(RedisKeys.user(id)));
	}

	/**
	 * Like {@link #find}, without holding the caller's thread: completes on the Redis I/O thread,
	 * or at once for a user seen within {@link #PROFILE_TTL}. Never throws: failing to reach Redis
	 * fails the future.
	 */
	public CompletableFuture<Optional<User>> findAsync(String userId) {
		String id = normalize(userId);
		User known = profiles.getIfPresent(id);
		if (known != null) {
			return CompletableFuture.completedFuture(Optional.of(known));
		}
		try {
			return async.commands().hgetall(RedisKeys.user(id)).toCompletableFuture()
				.thenApply(fields -> remembered(user(id, fields)));
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	/**
	 * The users with these ids that exist, in the given order: those seen within
	 * {@link #PROFILE_TTL} from memory, the others in one round trip.
	 */
	public List<User> findAll(List<String> userIds) {
		Map<String, User> found = new HashMap<>(profiles.getAllPresent(userIds));
		List<String> unknown = userIds.stream().filter(id -> !found.containsKey(id)).toList();
		RedisClusterAsyncCommands<String, String> commands = async.commands();
		List<List<KeyValue<String, String>>> rows = async.awaitAll(unknown.stream()
			.map(id -> commands.hmget(RedisKeys.user(id), NAME, GUEST, BOT).toCompletableFuture())
			.toList());
		for (int i = 0; i < unknown.size(); i++) {
			List<KeyValue<String, String>> fields = rows.get(i);
			if (fields.get(0).hasValue()) {
				User user = new User(unknown.get(i), fields.get(0).getValue(), isSet(fields.get(1)), isSet(fields.get(2)));
				profiles.put(user.id(), user);
				found.put(user.id(), user);
			}
		}
		return userIds.stream().map(found::get).filter(Objects::nonNull).toList();
	}

	private Optional<User> remembered(Optional<User> user) {
		user.ifPresent(found -> profiles.put(found.id(), found));
		return user;
	}

	private static boolean isSet(KeyValue<String, String> flag) {
		return "1".equals(flag.getValueOrElse(null));
	}

	public Optional<String> passwordHash(String userId) {
		Object hash = redis.opsForHash().get(RedisKeys.user(normalize(userId)), PASSWORD);
		return Optional.ofNullable((String) hash);
	}

	public User register(Registration registration) {
		String id = normalize(registration.username());
		String displayName = displayNameOr(registration.displayName(), registration.username().trim());
		String hash = passwordEncoder.encode(registration.password());
		if (!created(id, Duration.ZERO, NAME, displayName, PASSWORD, hash, GUEST, "0", "created",
				Long.toString(System.currentTimeMillis()))) {
			throw new UsernameTakenException(id);
		}
		claimed(id, displayName);
		return User.member(id, displayName);
	}

	/**
	 * The bot's user, created or renamed; none when a person holds that username already, whom a
	 * bot must never speak for. It has no password, so no login of any kind matches it.
	 */
	public Optional<User> ensureBot(String id, String name) {
		Long made = redis.execute(ENSURE_BOT, List.of(RedisKeys.user(id)), name,
				Long.toString(System.currentTimeMillis()));
		profiles.invalidate(id);
		if (made == null || made != 1) {
			return Optional.empty();
		}
		directory.add(id, name);
		return Optional.of(new User(id, name, false, true));
	}

	/**
	 * A guest with the name asked for when it is free; otherwise with the lowest free suffix from 2
	 * to 9, then with random digits, so that crowded names never make joining fail.
	 */
	public User createGuest(String requestedName) {
		return createGuest(requestedName, null);
	}

	/** @param address the client's address, kept so that a ban of the guest can cover it; null when unknown */
	public User createGuest(String requestedName, String address) {
		String base = guestBaseName(requestedName);
		for (int attempt = 1; attempt <= MAX_GUEST_ATTEMPTS; attempt++) {
			String name = guestCandidate(base, attempt);
			String id = normalize(name);
			List<String> fields = new ArrayList<>(List.of(NAME, name, GUEST, "1", "created",
					Long.toString(System.currentTimeMillis())));
			if (address != null) {
				fields.addAll(List.of(ADDRESS, address));
			}
			if (created(id, guestTtl, fields.toArray(String[]::new))) {
				claimed(id, name);
				redis.opsForZSet().add(RedisKeys.GUESTS, id, System.currentTimeMillis() + guestTtl.toMillis());
				return User.guest(id, name);
			}
		}
		throw new UsernameTakenException(base);
	}

	/** Stores a new user whole, in one script call; false when the id is taken. {@code ttl} zero: no TTL. */
	private boolean created(String id, Duration ttl, String... fields) {
		List<String> args = new ArrayList<>(List.of(Long.toString(ttl.toMillis())));
		args.addAll(List.of(fields));
		Long made = redis.execute(CREATE_USER, List.of(RedisKeys.user(id)), args.toArray());
		return made != null && made == 1;
	}

	/** A new user of an id owns nothing an earlier one left, and is not remembered as that one; others can find them. */
	private void claimed(String id, String name) {
		purge.purgeClaimed(id);
		profiles.invalidate(id);
		directory.add(id, name);
	}

	private static String guestCandidate(String base, int attempt) {
		if (attempt == 1) {
			return base;
		}
		if (attempt <= 9) {
			return base + attempt;
		}
		return base + "-" + ThreadLocalRandom.current().nextInt(1000, 1_000_000);
	}

	/** From now on the user's handshakes get 403; closing their open connections is the caller's part. */
	public void ban(String userId, String reason) {
		redis.opsForSet().add(RedisKeys.BANNED, normalize(userId));
		redis.opsForHash().put(RedisKeys.BAN_REASONS, normalize(userId), reason);
	}

	public void unban(String userId) {
		redis.opsForSet().remove(RedisKeys.BANNED, normalize(userId));
		redis.opsForHash().delete(RedisKeys.BAN_REASONS, normalize(userId));
	}

	/** What the admin said when banning the user. */
	public String banReason(String userId) {
		return reasonOrDefault((String) redis.opsForHash().get(RedisKeys.BAN_REASONS, userId));
	}

	public CompletableFuture<String> banReasonAsync(String userId) {
		return async.commands().hget(RedisKeys.BAN_REASONS, userId).toCompletableFuture()
			.thenApply(UserService::reasonOrDefault);
	}

	private static String reasonOrDefault(String reason) {
		return reason == null || reason.isBlank() ? NO_BAN_REASON : reason;
	}

	/** Deletes the user and everything they own ({@link UserPurge}); false when there is no such user. */
	public boolean delete(String userId) {
		if (!Boolean.TRUE.equals(redis.delete(RedisKeys.user(userId)))) {
			return false;
		}
		profiles.invalidate(userId);
		purge.purgeGone(userId);
		return true;
	}

	/**
	 * Sets a registered user's password, and ends their tokens and remember-me logins; false for a
	 * guest, the bot or no user.
	 */
	public boolean resetPassword(String userId, String password) {
		Optional<User> user = find(userId);
		if (user.isEmpty() || user.get().guest() || user.get().bot()) {
			return false;
		}
		redis.opsForHash().put(RedisKeys.user(userId), PASSWORD, passwordEncoder.encode(password));
		purge.signOutEverywhere(userId);
		return true;
	}

	/** Ends every token, remember-me login and browser session of the user. */
	public void signOutEverywhere(String userId) {
		purge.signOutEverywhere(userId);
	}

	/** When the user was created (epoch ms), 0 when unknown. */
	public long createdAt(String userId) {
		return time(userId, "created");
	}

	/** When the user's last connection closed (epoch ms), 0 when never seen. */
	public long lastSeen(String userId) {
		return time(userId, "seen");
	}

	private long time(String userId, String field) {
		Object at = redis.opsForHash().get(RedisKeys.user(userId), field);
		return at == null ? 0 : Long.parseLong((String) at);
	}

	/** The address a guest was created from, when it was known. */
	public Optional<String> guestAddress(String userId) {
		return Optional.ofNullable((String) redis.opsForHash().get(RedisKeys.user(userId), ADDRESS));
	}

	/** No guest may be made from the address for {@code duration}. */
	public void banAddress(String address, String reason, Duration duration) {
		redis.opsForValue().set(RedisKeys.bannedAddress(address), reason.isBlank() ? NO_BAN_REASON : reason, duration);
	}

	public void unbanAddress(String address) {
		redis.delete(RedisKeys.bannedAddress(address));
	}

	/** Why guests from the address are refused for now; empty when they are not. */
	public Optional<String> addressBan(String address) {
		return address == null ? Optional.empty() : Optional.ofNullable(redis.opsForValue().get(RedisKeys.bannedAddress(address)));
	}

	/** Ids of every banned user, sorted. */
	public List<String> banned() {
		Set<String> banned = redis.opsForSet().members(RedisKeys.BANNED);
		return banned == null ? List.of() : banned.stream().sorted().toList();
	}

	/** A user as a handshake needs them: who they are (empty for no such user), and whether banned. */
	public record Standing(Optional<User> user, boolean banned) {
	}

	/** The user and their ban in one round trip, without holding the caller's thread meanwhile. */
	public CompletableFuture<Standing> standing(String userId) {
		String id = normalize(userId);
		RedisClusterAsyncCommands<String, String> commands = async.commands();
		CompletableFuture<Map<String, String>> fields = commands.hgetall(RedisKeys.user(id)).toCompletableFuture();
		CompletableFuture<Boolean> banned = commands.sismember(RedisKeys.BANNED, id).toCompletableFuture();
		return fields.thenCombine(banned, (found, ban) -> new Standing(user(id, found), ban));
	}

	public boolean isBanned(String userId) {
		return Boolean.TRUE.equals(redis.opsForSet().isMember(RedisKeys.BANNED, userId));
	}

	/**
	 * Keeps a returning guest (and their read marks) for another guest TTL. Their list of rooms has
	 * no TTL: {@link UserPurge} needs it to find their memberships once they are gone. Not waited
	 * for: a handshake has no use for the answer.
	 */
	public void touch(User user) {
		if (user.guest()) {
			RedisClusterAsyncCommands<String, String> commands = async.commands();
			CompletableFuture.allOf(commands.expire(RedisKeys.user(user.id()), guestTtl).toCompletableFuture(),
					commands.expire(RedisKeys.userReads(user.id()), guestTtl).toCompletableFuture())
				.exceptionally(error -> {
					log.warn("Renewing guest {}'s TTL failed; the next connection renews it", user.id(), error);
					return null;
				});
		}
	}

	private static String guestBaseName(String requested) {
		String cleaned = requested == null ? "" : requested.trim().replaceAll("[^A-Za-z0-9._-]", "");
		if (cleaned.length() > 24) {
			cleaned = cleaned.substring(0, 24);
		}
		return cleaned.length() < 3 ? "guest" + (cleaned.isEmpty() ? "" : "-" + cleaned) : cleaned;
	}

	private static String displayNameOr(String displayName, String fallback) {
		if (displayName == null || displayName.isBlank()) {
			return fallback;
		}
		return displayName.strip().replaceAll("\\p{Cntrl}", "");
	}

	/** The user stored in these hash fields; none when the hash is missing or has no name. */
	private static Optional<User> user(String id, Map<?, ?> fields) {
		if (!fields.containsKey(NAME)) {
			return Optional.empty();
		}
		return Optional.of(
				new User(id, (String) fields.get(NAME), "1".equals(fields.get(GUEST)), "1".equals(fields.get(BOT))));
	}

}
