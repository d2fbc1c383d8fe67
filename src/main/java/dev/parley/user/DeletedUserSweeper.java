package dev.parley.user;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.parley.config.ParleyProperties;
import dev.parley.config.RedisKeys;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * Every {@code parley.auth.sweep-interval}, walks each room's members and removes the users who no
 * longer exist (guests past their TTL), with all they left ({@link UserPurge}). Without it a room
 * everyone joins, like the lobby, would keep every guest who ever came. A batch at a time, so that
 * Redis is never held for long; every instance sweeps, and a second sweep finds nothing to do.
 */
@Component
class DeletedUserSweeper implements SchedulingConfigurer {

	private static final Logger log = LoggerFactory.getLogger(DeletedUserSweeper.class);

	private static final int BATCH = 500;

	private final StringRedisTemplate redis;

	private final UserPurge purge;

	private final Duration interval;

	DeletedUserSweeper(StringRedisTemplate redis, UserPurge purge, ParleyProperties properties) {
		this.redis = redis;
		this.purge = purge;
		this.interval = properties.auth().sweepInterval();
	}

	@Override
	public void configureTasks(ScheduledTaskRegistrar registrar) {
		registrar.addFixedDelayTask(new FixedDelayTask(this::sweepSafely, interval, interval));
	}

	private void sweepSafely() {
		try {
			int removed = sweep();
			if (removed > 0) {
				log.info("Removed {} deleted users from rooms, with their conversations and read marks", removed);
			}
		}
		catch (DataAccessException ex) {
			log.warn("Sweeping deleted users failed; the next sweep tries again", ex);
		}
	}

	/** @return how many deleted users were found. */
	int sweep() {
		Set<String> rooms = redis.opsForSet().members(RedisKeys.ROOMS);
		Set<String> gone = new HashSet<>();
		for (String slug : rooms == null ? Set.<String>of() : rooms) {
			sweepRoom(slug, gone);
		}
		return gone.size();
	}

	private void sweepRoom(String slug, Set<String> gone) {
		List<String> batch = new ArrayList<>(BATCH);
		try (Cursor<String> members = redis.opsForSet()
			.scan(RedisKeys.roomMembers(slug), ScanOptions.scanOptions().count(BATCH).build())) {
			while (members.hasNext()) {
				batch.add(members.next());
				if (batch.size() == BATCH) {
					dropGone(slug, batch, gone);
				}
			}
		}
		dropGone(slug, batch, gone);
	}

	private void dropGone(String slug, List<String> batch, Set<String> gone) {
		if (batch.isEmpty()) {
			return;
		}
		for (String userId : purge.dropGoneMembers(slug, batch)) {
			if (gone.add(userId)) {
				purge.purgeGone(userId);
			}
		}
		batch.clear();
	}

}
