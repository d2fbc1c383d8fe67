package dev.parley.chat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import io.lettuce.core.Range;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.parley.config.RedisAsync;
import dev.parley.config.RedisKeys;
import dev.parley.messaging.MessageStore;
import dev.parley.messaging.PubSubGateway;
import dev.parley.room.RoomService;
import dev.parley.user.User;
import dev.parley.user.UserService;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Service;

/**
 * What the admins announce, kept: in a room, a message of the room's history from the "Admins"
 * user, marked as an announcement (so it counts as unread and is there for whoever comes later);
 * to everyone, a {@code system} frame to every connection now, and to each new connection, after
 * its welcome, until it lapses.
 */
@Service
public class Announcements implements ApplicationRunner {

	/** The most announcements to everyone shown to newcomers at once. */
	public static final int MAX_KEPT = 20;

	/** How long an instance reuses the list it read, so that a connection storm reads it a few times a second at most. */
	private static final long REREAD_MS = 2000;

	private static final Logger log = LoggerFactory.getLogger(Announcements.class);

	private final StringRedisTemplate redis;

	private final RedisAsync async;

	private final UserService users;

	private final RoomService rooms;

	private final MessageStore store;

	private final PubSubGateway gateway;

	private final ServerFrames frames;

	/** Null until made, and for good when a person holds the announcer's username. */
	private volatile User announcer;

	private static final Read UNREAD = new Read(CompletableFuture.completedFuture(List.of()), 0);

	/** The last read, or the one in flight: a storm's connections share it instead of each reading. */
	private volatile Read read = UNREAD;

	private record Read(CompletableFuture<List<String>> frames, long at) {
	}

	Announcements(StringRedisTemplate redis, RedisAsync async, UserService users, RoomService rooms,
			MessageStore store, PubSubGateway gateway, ServerFrames frames) {
		this.redis = redis;
		this.async = async;
		this.users = users;
		this.rooms = rooms;
		this.store = store;
		this.gateway = gateway;
		this.frames = frames;
	}

	@Override
	public void run(ApplicationArguments args) {
		announcer = users.ensureBot(UserService.ANNOUNCER_ID, "Admins").orElse(null);
		if (announcer == null) {
			log.error("A user named {} exists: room announcements are shown to those online but not kept",
					UserService.ANNOUNCER_ID);
		}
	}

	/** Where a room announcement went. */
	public enum Kept {
		/** Stored in the room's history, and delivered as its messages are. */
		KEPT,
		/** Shown to the members online only: the room is closed to messages, or the announcer is missing. */
		SHOWN
	}

	public Kept toRoom(String slug, String text) {
		User from = announcer;
		if (from != null) {
			try {
				// idempotent: a member already stays one
				rooms.join(from.id(), slug);
				store.storeAnnouncement(slug, from, text).join();
				return Kept.KEPT;
			}
			catch (CompletionException ex) {
				if (!(ex.getCause() instanceof ChatException)) {
					throw ex;
				}
			}
		}
		gateway.tellRoom(slug, null, frames.json(new ServerFrames.SystemNotice(slug, text, System.currentTimeMillis())));
		return Kept.SHOWN;
	}

	/** To every connection now, and for {@code keep} (zero: no longer) to every new one after its welcome. */
	public void toEveryone(String text, Duration keep) {
		long now = System.currentTimeMillis();
		if (keep.isZero()) {
			gateway.tellEveryone(frames.json(new ServerFrames.SystemNotice(null, text, now)));
			return;
		}
		String json = frames.json(ServerFrames.SystemNotice.kept(text, now, now + keep.toMillis()));
		redis.opsForZSet().add(RedisKeys.ANNOUNCEMENTS, json, now + keep.toMillis());
		redis.opsForZSet().removeRangeByScore(RedisKeys.ANNOUNCEMENTS, Double.NEGATIVE_INFINITY, now);
		redis.opsForZSet().removeRange(RedisKeys.ANNOUNCEMENTS, 0, -MAX_KEPT - 1);
		read = UNREAD;
		gateway.tellEveryone(json);
	}

	/**
	 * The announcements to everyone still showing, soonest to lapse first, as {@code system} frames;
	 * read at most every 2 s, with no thread waiting for the reply. A failed read is not reused.
	 */
	public CompletableFuture<List<String>> showing() {
		long now = System.currentTimeMillis();
		Read last = read;
		if (now - last.at() < REREAD_MS) {
			return last.frames();
		}
		CompletableFuture<List<String>> reading = async.commands()
			.zrangebyscore(RedisKeys.ANNOUNCEMENTS, Range.from(Range.Boundary.including(now), Range.Boundary.unbounded()))
			.toCompletableFuture()
			.thenApply(List::copyOf);
		Read next = new Read(reading, now);
		read = next;
		reading.whenComplete((frames, failure) -> {
			if (failure != null && read == next) {
				read = UNREAD;
			}
		});
		return reading;
	}

	/** As {@link #showing}, read from Redis now. */
	public List<String> showingNow() {
		var found = redis.opsForZSet()
			.rangeByScore(RedisKeys.ANNOUNCEMENTS, System.currentTimeMillis(), Double.POSITIVE_INFINITY);
		return found == null ? List.of() : List.copyOf(found);
	}

	/** Stops showing the announcement to newcomers; false when it was not showing. */
	public boolean withdraw(String json) {
		Long removed = redis.opsForZSet().remove(RedisKeys.ANNOUNCEMENTS, json);
		read = UNREAD;
		return removed != null && removed > 0;
	}

}
