package dev.parley.chat;

import java.util.Map;

import dev.parley.config.RedisKeys;
import dev.parley.support.ParleyIntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/** Every instance's numbers meet in Redis: reported with a TTL, read back, dropped once expired. */
@ParleyIntegrationTest
class InstanceStatsIT {

	@Autowired
	InstanceStats stats;

	@Autowired
	StringRedisTemplate redis;

	@Test
	void thisInstanceReportsItsNumbersToRedisWithATtl() throws InterruptedException {
		String key = RedisKeys.instance(stats.local().instance());
		long deadline = System.currentTimeMillis() + 3 * InstanceStats.REPORT_EVERY_MILLIS;
		while (!redis.hasKey(key) && System.currentTimeMillis() < deadline) {
			Thread.sleep(100);
		}
		assertThat(redis.opsForHash().entries(key)).containsKeys("connections", "messages", "deliveries", "refused");
		assertThat(redis.getExpire(key)).isPositive();
		assertThat(redis.opsForSet().isMember(RedisKeys.INSTANCES, stats.local().instance())).isTrue();
	}

	@Test
	void anotherInstancesReportIsListedAfterThisOneAndDroppedOnceItExpired() {
		String other = "other-" + System.nanoTime();
		redis.opsForHash().putAll(RedisKeys.instance(other), Map.of("connections", "7", "messages", "70", "deliveries", "700", "refused", "3"));
		redis.opsForSet().add(RedisKeys.INSTANCES, other);

		assertThat(stats.all().get(0).instance()).isEqualTo(stats.local().instance());
		assertThat(stats.all()).contains(new InstanceStats.Numbers(other, 7, 70, 700, 3));

		redis.delete(RedisKeys.instance(other));
		assertThat(stats.all()).noneMatch(numbers -> numbers.instance().equals(other));
		assertThat(redis.opsForSet().isMember(RedisKeys.INSTANCES, other)).isFalse();
	}

}
