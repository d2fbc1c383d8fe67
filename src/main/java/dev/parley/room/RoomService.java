package dev.parley.room;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ValueScanCursor;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

import dev.parley.config.ParleyProperties;
import dev.parley.config.RedisAsync;
import dev.parley.config.RedisKeys;
import dev.parley.config.RedisScripts;
import dev.parley.user.UserService;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Service;

/** Rooms and membership in Redis. Membership is kept on both sides: room → users and user → rooms. */
@Service
public class RoomService implements ApplicationRunner {

	public static final String LOBBY = "lobby";

	/** The most invitations a private room holds at once, none older than {@link #INVITATION_TTL}. */
	public static final int MAX_INVITATIONS = 1000;

	public static final Duration INVITATION_TTL = Duration.ofDays(7);

	/** Changes a room's name and topic only when the room exists, so an edit never creates a half room. */
	private static final RedisScript<Long> EDIT = RedisScripts.load("room-edit", Long.class);

	private final StringRedisTemplate redis;

	private final RedisAsync async;

	private final List<String> initialRooms;

	/** Members that are not people: left out of the counts users see. */
	private final String[] bots;

	public RoomService(StringRedisTemplate redis, RedisAsync async, ParleyProperties properties) {
		this.redis = redis;
		this.async = async;
		this.initialRooms = properties.rooms().initial();
		this.bots = new String[] { properties.bot().username(), UserService.ANNOUNCER_ID };
	}

	@Override
	public void run(ApplicationArguments args) {
		createIfAbsent(LOBBY, "Lobby", "Say hello");
		initialRooms.forEach(slug -> createIfAbsent(slug, slug, ""));
	}

	public boolean createIfAbsent(String slug, String name, String topic) {
		return create(slug, name, topic, false, "");
	}

	/**
	 * A room made by a user from the chat page: the user is its owner, first member and first
	 * moderator.
	 * @return false when the slug is taken
	 */
	public boolean createOwned(String slug, String name, String topic, boolean privateRoom, String ownerId) {
		if (!create(slug, name, topic, privateRoom, ownerId)) {
			return false;
		}
		join(ownerId, slug);
		addModerator(slug, ownerId);
		return true;
	}

	private boolean create(String slug, String name, String topic, boolean privateRoom, String owner) {
		if (!Room.isValidSlug(slug)) {
			throw new IllegalArgumentException("invalid room slug: " + slug);
		}
		String key = RedisKeys.room(slug);
		if (!Boolean.TRUE.equals(redis.opsForHash().putIfAbsent(key, "name", name))) {
			return false;
		}
		redis.opsForHash()
			.putAll(key, Map.of("topic", topic == null ? "" : topic, "open", "1", "created",
					Long.toString(System.currentTimeMillis()), "private", privateRoom ? "1" : "0", "owner", owner));
		redis.opsForSet().add(RedisKeys.ROOMS, slug);
		return true;
	}

	/** A page of a room's members' ids, sorted within the page; {@code next} the cursor of the next, "0" after the last. */
	public record MembersPage(List<String> ids, String next) {
	}

	/** Every member of the room, a page at a time: start with cursor "0". */
	public MembersPage members(String slug, String cursor, int count) {
		ValueScanCursor<String> page = async.await(async.commands()
			.sscan(RedisKeys.roomMembers(slug), ScanCursor.of(cursor), ScanArgs.Builder.limit(count)));
		List<String> ids = new ArrayList<>(page.getValues());
		ids.sort(null);
		return new MembersPage(ids, page.isFinished() ? "0" : page.getCursor());
	}

	/**
	 * Deletes the room with its history, members and the rest of its keys, and takes it from each
	 * member's rooms; returns the members it had, whom the caller tells.
	 */
	public Set<String> delete(String slug) {
		Set<String> members = members(slug);
		RedisClusterAsyncCommands<String, String> commands = async.commands();
		async.awaitAll(members.stream()
			.map(member -> commands.srem(RedisKeys.userRooms(member), slug).toCompletableFuture())
			.toList());
		redis.opsForSet().remove(RedisKeys.ROOMS, slug);
		redis.delete(List.of(RedisKeys.roomKeys(slug)));
		return members;
	}

	/** How many members each room has, in one round trip, in the given order. */
	public List<Long> memberCounts(List<String> slugs) {
		RedisClusterAsyncCommands<String, String> commands = async.commands();
		return async.awaitAll(
				slugs.stream().map(slug -> commands.scard(RedisKeys.roomMembers(slug)).toCompletableFuture()).toList());
	}

	/**
	 * How many people belong to each room, as users see rooms listed: the members but the bot and the
	 * admins' announcer, which join rooms to speak in them. One round trip, in the given order.
	 */
	public List<Long> peopleCounts(List<String> slugs) {
		RedisClusterAsyncCommands<String, String> commands = async.commands();
		return async.awaitAll(slugs.stream().map(slug -> {
			String key = RedisKeys.roomMembers(slug);
			return commands.scard(key).toCompletableFuture().thenCombine(commands.smismember(key, bots).toCompletableFuture(),
					(members, botsIn) -> members - botsIn.stream().filter(Boolean::booleanValue).count());
		}).toList());
	}

	/**
	 * Lets the user join the private room until they do or the invitation lapses.
	 * @return false when the room holds {@link #MAX_INVITATIONS} open invitations already
	 */
	public boolean invite(String slug, String userId) {
		String key = RedisKeys.roomInvitations(slug);
		long now = System.currentTimeMillis();
		redis.opsForZSet().removeRangeByScore(key, Double.NEGATIVE_INFINITY, now);
		Long open = redis.opsForZSet().zCard(key);
		if (open != null && open >= MAX_INVITATIONS) {
			return false;
		}
		redis.opsForZSet().add(key, userId, now + INVITATION_TTL.toMillis());
		redis.expire(key, INVITATION_TTL);
		return true;
	}

	/** Whether the user holds an invitation to the room that has not lapsed. */
	public boolean isInvited(String userId, String slug) {
		Double until = redis.opsForZSet().score(RedisKeys.roomInvitations(slug), userId);
		return until != null && until > System.currentTimeMillis();
	}

	/** The private room's invitations still open: user id → epoch ms until which it holds, soonest first. */
	public Map<String, Long> invitations(String slug) {
		Map<String, Long> open = new LinkedHashMap<>();
		var found = redis.opsForZSet()
			.rangeByScoreWithScores(RedisKeys.roomInvitations(slug), System.currentTimeMillis(), Double.POSITIVE_INFINITY);
		if (found != null) {
			found.forEach(entry -> open.put(entry.getValue(), entry.getScore().longValue()));
		}
		return open;
	}

	/** An invitation is used up by joining. */
	public void uninvite(String slug, String userId) {
		redis.opsForZSet().remove(RedisKeys.roomInvitations(slug), userId);
	}

	/** @return false when there is no such room. */
	public boolean edit(String slug, String name, String topic) {
		Long edited = redis.execute(EDIT, List.of(RedisKeys.room(slug)), name, topic == null ? "" : topic);
		return edited != null && edited == 1;
	}

	/** Opens or closes a room; a closed room accepts no joins and no messages. */
	public void setOpen(String slug, boolean open) {
		redis.opsForHash().put(RedisKeys.room(slug), "open", open ? "1" : "0");
	}

	public Optional<Room> find(String slug) {
		if (!Room.isValidSlug(slug)) {
			return Optional.empty();
		}
		Map<Object, Object> fields = redis.opsForHash().entries(RedisKeys.room(slug));
		if (!fields.containsKey("name")) {
			return Optional.empty();
		}
		return Optional.of(toRoom(slug, fields));
	}

	public List<Room> all() {
		Set<String> slugs = redis.opsForSet().members(RedisKeys.ROOMS);
		if (slugs == null) {
			return List.of();
		}
		return fetch(slugs.stream().sorted().toList()).stream().filter(Objects::nonNull).toList();
	}

	/**
	 * Both sides in one round trip; they sit in different Cluster slots (the room's and the user's),
	 * so not in one script. Each is idempotent: a join that failed halfway is completed by the next.
	 * @return true when the user was not a member before.
	 */
	public boolean join(String userId, String slug) {
		var commands = async.commands();
		List<Long> added = async.awaitAll(List.of(commands.sadd(RedisKeys.roomMembers(slug), userId).toCompletableFuture(),
				commands.sadd(RedisKeys.userRooms(userId), slug).toCompletableFuture()));
		return added.get(0) == 1;
	}

	/** Like {@link #join}, the room's side first. @return true when the user was a member. */
	public boolean leave(String userId, String slug) {
		var commands = async.commands();
		List<Long> removed = async.awaitAll(List.of(commands.srem(RedisKeys.roomMembers(slug), userId).toCompletableFuture(),
				commands.srem(RedisKeys.userRooms(userId), slug).toCompletableFuture()));
		return removed.get(0) == 1;
	}

	/** @return false when the user moderated the room already */
	public boolean addModerator(String slug, String userId) {
		return Long.valueOf(1).equals(redis.opsForSet().add(RedisKeys.roomModerators(slug), userId));
	}

	/** @return false when the user did not moderate the room */
	public boolean removeModerator(String slug, String userId) {
		return Long.valueOf(1).equals(redis.opsForSet().remove(RedisKeys.roomModerators(slug), userId));
	}

	public Set<String> moderators(String slug) {
		Set<String> moderators = redis.opsForSet().members(RedisKeys.roomModerators(slug));
		return moderators == null ? Set.of() : moderators;
	}

	/** As {@link #isModerator}, without waiting: sent now, to be awaited with other commands. */
	public CompletableFuture<Boolean> isModeratorAsync(String userId, String slug) {
		return async.commands().sismember(RedisKeys.roomModerators(slug), userId).toCompletableFuture();
	}

	/** Whether the user may delete anyone's message in the room. */
	public boolean isModerator(String userId, String slug) {
		return Boolean.TRUE.equals(redis.opsForSet().isMember(RedisKeys.roomModerators(slug), userId));
	}

	public boolean isMember(String userId, String slug) {
		return Boolean.TRUE.equals(redis.opsForSet().isMember(RedisKeys.userRooms(userId), slug));
	}

	public Set<String> roomsOf(String userId) {
		Set<String> rooms = redis.opsForSet().members(RedisKeys.userRooms(userId));
		return rooms == null ? Set.of() : rooms;
	}

	/** As {@link #roomsOf}, without waiting: sent now, to be awaited with other commands. */
	public CompletableFuture<Set<String>> roomsOfAsync(String userId) {
		return async.commands().smembers(RedisKeys.userRooms(userId)).toCompletableFuture();
	}

	public Set<String> members(String slug) {
		Set<String> members = redis.opsForSet().members(RedisKeys.roomMembers(slug));
		return members == null ? Set.of() : members;
	}

	public void markRead(String userId, String slug, String messageId) {
		redis.opsForHash().put(RedisKeys.userReads(userId), slug, messageId);
	}

	/** As {@link #markRead}, without waiting. */
	public CompletableFuture<Boolean> markReadAsync(String userId, String slug, String messageId) {
		return async.commands().hset(RedisKeys.userReads(userId), slug, messageId).toCompletableFuture();
	}

	/**
	 * Several rooms in one round trip, in the given order, with no thread waiting; one not found
	 * shows as its slug, open.
	 */
	public CompletableFuture<List<Room>> findAllAsync(List<String> slugs) {
		return fetchAsync(slugs).thenApply(found -> {
			List<Room> result = new ArrayList<>(slugs.size());
			for (int i = 0; i < slugs.size(); i++) {
				Room room = found.get(i);
				result.add(room != null ? room : new Room(slugs.get(i), slugs.get(i), "", true, 0, false, ""));
			}
			return result;
		});
	}

	/** The rooms in one round trip, in the given order; null where a room does not exist. */
	private List<Room> fetch(List<String> slugs) {
		return async.await(fetchAsync(slugs));
	}

	private CompletableFuture<List<Room>> fetchAsync(List<String> slugs) {
		RedisClusterAsyncCommands<String, String> commands = async.commands();
		List<CompletableFuture<Map<String, String>>> rows = slugs.stream()
			.map(slug -> commands.hgetall(RedisKeys.room(slug)).toCompletableFuture())
			.toList();
		return CompletableFuture.allOf(rows.toArray(CompletableFuture[]::new)).thenApply(done -> {
			List<Room> rooms = new ArrayList<>(slugs.size());
			for (int i = 0; i < slugs.size(); i++) {
				Map<String, String> fields = rows.get(i).join();
				rooms.add(fields.containsKey("name") ? toRoom(slugs.get(i), fields) : null);
			}
			return rooms;
		});
	}

	/** From the room's hash as Spring's template or Lettuce returns it. */
	private static Room toRoom(String slug, Map<?, ?> fields) {
		Object topic = fields.get("topic");
		Object created = fields.get("created");
		Object owner = fields.get("owner");
		return new Room(slug, (String) fields.get("name"), topic == null ? "" : (String) topic,
				!"0".equals(fields.get("open")), created == null ? 0 : Long.parseLong((String) created),
				"1".equals(fields.get("private")), owner == null ? "" : (String) owner);
	}

}
