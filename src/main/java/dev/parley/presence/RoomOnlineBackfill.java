package dev.parley.presence;

import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.parley.config.RedisKeys;
import dev.parley.room.RoomService;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * Rooms' online sets are kept by presence events from this version on; at its first start, the
 * users online already (connected to instances of an earlier version) are put in the sets of
 * their rooms, once.
 */
@Component
class RoomOnlineBackfill implements ApplicationRunner {

	private static final Logger log = LoggerFactory.getLogger(RoomOnlineBackfill.class);

	private final StringRedisTemplate redis;

	private final RoomService rooms;

	RoomOnlineBackfill(StringRedisTemplate redis, RoomService rooms) {
		this.redis = redis;
		this.rooms = rooms;
	}

	@Override
	public void run(ApplicationArguments args) {
		if (!Boolean.TRUE.equals(redis.opsForValue().setIfAbsent(RedisKeys.ROOM_ONLINE_BUILT, "1"))) {
			return;
		}
		Set<String> online = redis.opsForZSet()
			.rangeByScore(RedisKeys.ONLINE, System.currentTimeMillis(), Double.POSITIVE_INFINITY);
		if (online == null || online.isEmpty()) {
			return;
		}
		online.forEach(userId -> rooms.roomsOf(userId)
			.forEach(slug -> redis.opsForZSet().add(RedisKeys.roomOnline(slug), userId, 0)));
		log.info("Put the {} users online in their rooms' online sets", online.size());
	}

}
