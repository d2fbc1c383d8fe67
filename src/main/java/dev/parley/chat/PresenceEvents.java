package dev.parley.chat;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.lettuce.core.ScriptOutputType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.parley.config.ParleyProperties;
import dev.parley.config.RedisAsync;
import dev.parley.config.RedisKeys;
import dev.parley.config.RedisScripts;
import dev.parley.messaging.Envelope;
import dev.parley.user.User;

import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Tells the other members of rooms that a user joined, left, came online or went offline, and
 * keeps each room's set of members online, which {@code joined.members} and {@code members} page
 * through: one script per room records the change and publishes the event. Above
 * {@code parley.presence.count-above} members online a room gets no single events: a count event
 * at most once a second instead (the contract's "Large rooms").
 */
@Component
public class PresenceEvents {

	private static final Logger log = LoggerFactory.getLogger(PresenceEvents.class);

	private static final RedisScript<Long> CHANGE = RedisScripts.load("room-presence", Long.class);

	private static final RedisScript<Long> COUNT = RedisScripts.load("room-count", Long.class);

	private static final long COUNT_EVERY_MILLIS = 1000;

	private final RedisAsync async;

	private final ServerFrames frames;

	private final String countAbove;

	/** Rooms whose count changed while above the threshold, to be told at the next tick. */
	private final Set<String> counts = ConcurrentHashMap.newKeySet();

	PresenceEvents(RedisAsync async, ServerFrames frames, ParleyProperties properties) {
		this.async = async;
		this.frames = frames;
		this.countAbove = Integer.toString(properties.presence().countAbove());
	}

	/** @param event {@code join}, {@code leave}, {@code online} or {@code offline} */
	public void announce(User user, Collection<String> rooms, String event) {
		String coming = event.equals("join") || event.equals("online") ? "1" : "0";
		String publish = publishCommand();
		for (String room : rooms) {
			String payload = Envelope.deliver(user.id(), frames.json(new ServerFrames.Presence(room, event, user)));
			async.<Long>eval(CHANGE, ScriptOutputType.INTEGER, new String[] { RedisKeys.roomOnline(room) }, coming,
					user.id(), countAbove, RedisKeys.roomChannel(room), payload, publish)
				.whenComplete((online, error) -> {
					if (error != null) {
						log.debug("The {} of {} in {} was not recorded", event, user.id(), room, error);
					}
					else if (online < 0) {
						counts.add(room);
					}
				});
		}
	}

	/** Each room whose count changed above the threshold gets one count event, unless another instance just sent one. */
	@Scheduled(fixedDelay = COUNT_EVERY_MILLIS)
	void tellCounts() {
		String publish = publishCommand();
		for (String room : counts) {
			counts.remove(room);
			// a slug is [a-z0-9-]: nothing in it needs escaping; the script puts the count between
			String head = Envelope.deliver(null, "{\"type\":\"presence\",\"room\":\"" + room
					+ "\",\"event\":\"count\",\"online\":");
			async.<Long>eval(COUNT, ScriptOutputType.INTEGER,
					new String[] { RedisKeys.roomOnline(room), RedisKeys.roomCountSent(room) },
					Long.toString(COUNT_EVERY_MILLIS), RedisKeys.roomChannel(room), head, "}", publish)
				.whenComplete((sent, error) -> {
					if (error != null || sent == 0) {
						counts.add(room);
					}
				});
		}
	}

	private String publishCommand() {
		return async.shardedPubSub() ? "SPUBLISH" : "PUBLISH";
	}

}
