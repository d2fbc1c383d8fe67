package dev.parley.chat;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import io.lettuce.core.Range;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.parley.config.RedisAsync;
import dev.parley.config.RedisKeys;
import dev.parley.messaging.PubSubGateway;
import dev.parley.user.UserService;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Who may not send messages, and until when. The list is in Redis ({@link RedisKeys#MUTED}), and
 * every instance checks its own copy before storing a message: the store scripts run in the slot of
 * a room or a conversation, where a list of users has no place on a Redis Cluster, and the check
 * costs no Redis work per message. A change is applied here at once and announced on the
 * all-instances channel, so the other instances read the list again within a pub/sub delivery; they
 * also read it every {@link #RELOAD_MILLIS}, which covers an announcement lost with a connection.
 */
@Component
public class MuteList {

	private static final Logger log = LoggerFactory.getLogger(MuteList.class);

	static final long RELOAD_MILLIS = 10_000;

	private final StringRedisTemplate redis;

	private final RedisAsync async;

	private final PubSubGateway gateway;

	/** User id → epoch ms the mute ends; replaced whole on every read. */
	private volatile Map<String, Long> mutedUntil = Map.of();

	MuteList(StringRedisTemplate redis, RedisAsync async, PubSubGateway gateway) {
		this.redis = redis;
		this.async = async;
		this.gateway = gateway;
	}

	/** Refuses the user's messages, on every instance, until {@code until}; a later mute replaces an earlier one. */
	public void mute(String userId, Instant until) {
		String id = UserService.normalize(userId);
		redis.opsForZSet().removeRangeByScore(RedisKeys.MUTED, Double.NEGATIVE_INFINITY, System.currentTimeMillis());
		redis.opsForZSet().add(RedisKeys.MUTED, id, until.toEpochMilli());
		Map<String, Long> changed = new HashMap<>(mutedUntil);
		changed.put(id, until.toEpochMilli());
		mutedUntil = Map.copyOf(changed);
		gateway.mutesChanged();
	}

	/** @return false when the user was not muted. */
	public boolean unmute(String userId) {
		String id = UserService.normalize(userId);
		Long removed = redis.opsForZSet().remove(RedisKeys.MUTED, id);
		Map<String, Long> changed = new HashMap<>(mutedUntil);
		changed.remove(id);
		mutedUntil = Map.copyOf(changed);
		gateway.mutesChanged();
		return removed != null && removed > 0;
	}

	/** Every user muted now, with the time the mute ends, soonest first, as Redis has them. */
	public Map<String, Instant> muted() {
		long now = System.currentTimeMillis();
		redis.opsForZSet().removeRangeByScore(RedisKeys.MUTED, Double.NEGATIVE_INFINITY, now);
		Map<String, Instant> muted = new LinkedHashMap<>();
		var entries = redis.opsForZSet().rangeByScoreWithScores(RedisKeys.MUTED, now, Double.POSITIVE_INFINITY);
		if (entries != null) {
			entries.forEach(entry -> muted.put(entry.getValue(), Instant.ofEpochMilli(entry.getScore().longValue())));
		}
		return muted;
	}

	/** From this instance's copy: no Redis call. */
	public boolean isMuted(String userId) {
		Long until = mutedUntil.get(userId);
		return until != null && until > System.currentTimeMillis();
	}

	/** Reads the list again without blocking the caller, which may be the Redis I/O thread. */
	@Scheduled(fixedDelay = RELOAD_MILLIS)
	public void reload() {
		long now = System.currentTimeMillis();
		try {
			async.commands()
				.zrangebyscoreWithScores(RedisKeys.MUTED, Range.from(Range.Boundary.excluding(now), Range.Boundary.unbounded()))
				.thenAccept(entries -> {
					Map<String, Long> read = new HashMap<>();
					entries.forEach(entry -> read.put(entry.getValue(), (long) entry.getScore()));
					mutedUntil = Map.copyOf(read);
				})
				.exceptionally(error -> {
					log.debug("Could not read the mute list: {}", error.toString());
					return null;
				});
		}
		catch (RuntimeException ex) {
			log.debug("Could not read the mute list: {}", ex.toString());
		}
	}

}
