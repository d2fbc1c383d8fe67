package dev.parley.user;

import java.time.Duration;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.parley.config.ParleyProperties;
import dev.parley.config.RedisKeys;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * Every {@code parley.auth.sweep-interval}, looks at the guests due for a check ({@code parley:guests}
 * holds each guest with the time its TTL could first have run out) and removes those that no longer
 * exist, with all they left ({@link UserPurge}); one still there is looked at again a TTL later.
 * Without it a room everyone joins, like the lobby, would keep every guest who ever came, and a
 * deleted guest's conversations would stay until someone took the name. A batch at a time, so that
 * Redis is never held for long; every instance sweeps, and a second sweep finds nothing to do.
 */
@Component
class DeletedUserSweeper implements SchedulingConfigurer {

	private static final Logger log = LoggerFactory.getLogger(DeletedUserSweeper.class);

	private static final int BATCH = 500;

	private final StringRedisTemplate redis;

	private final UserPurge purge;

	private final Duration interval;

	private final Duration guestTtl;

	DeletedUserSweeper(StringRedisTemplate redis, UserPurge purge, ParleyProperties properties) {
		this.redis = redis;
		this.purge = purge;
		this.interval = properties.auth().sweepInterval();
		this.guestTtl = properties.auth().guestTtl();
	}

	@Override
	public void configureTasks(ScheduledTaskRegistrar registrar) {
		registrar.addFixedDelayTask(new FixedDelayTask(this::sweepSafely, interval, interval));
	}

	private void sweepSafely() {
		try {
			int removed = sweep();
			if (removed > 0) {
				log.info("Removed {} deleted guests' memberships, conversations and read marks", removed);
			}
		}
		catch (DataAccessException ex) {
			log.warn("Sweeping deleted guests failed; the next sweep tries again", ex);
		}
	}

	/** @return how many deleted guests were purged. */
	int sweep() {
		long now = System.currentTimeMillis();
		int removed = 0;
		Set<String> due;
		do {
			due = redis.opsForZSet().rangeByScore(RedisKeys.GUESTS, Double.NEGATIVE_INFINITY, now, 0, BATCH);
			for (String guestId : due == null ? Set.<String>of() : due) {
				if (purge.purgeGone(guestId)) {
					removed++;
				}
				else {
					redis.opsForZSet().add(RedisKeys.GUESTS, guestId, now + guestTtl.toMillis());
				}
			}
		}
		while (due != null && due.size() == BATCH);
		return removed;
	}

}
