package dev.parley.config;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * Renames the keys of a Redis that Parley used before its keys had Cluster hash tags
 * ({@code parley:user:<id>...}, {@code parley:room:<slug>...}, {@code parley:dm:<a>:<b>}) to
 * today's names, once, before the instance serves anything: a deployment that upgrades keeps its
 * users, rooms and history. A Cluster never held the old names (its scripts failed on them), so it
 * is left alone. Done is recorded in {@link RedisKeys#SCHEMA}; a rename never overwrites a key.
 */
@Component
class LegacyKeyMigration implements InitializingBean {

	static final String VERSION = "2";

	private static final Logger log = LoggerFactory.getLogger(LegacyKeyMigration.class);

	private final StringRedisTemplate redis;

	private final RedisAsync async;

	LegacyKeyMigration(StringRedisTemplate redis, RedisAsync async) {
		this.redis = redis;
		this.async = async;
	}

	@Override
	public void afterPropertiesSet() {
		if (async.isCluster() || VERSION.equals(redis.opsForValue().get(RedisKeys.SCHEMA))) {
			return;
		}
		int renamed = 0;
		for (String pattern : List.of("parley:user:*", "parley:room:*", "parley:dm:*")) {
			for (String key : scan(pattern)) {
				String target = RedisKeys.migrated(key);
				if (target != null && Boolean.TRUE.equals(redis.renameIfAbsent(key, target))) {
					renamed++;
				}
			}
		}
		redis.opsForValue().set(RedisKeys.SCHEMA, VERSION);
		if (renamed > 0) {
			log.info("Renamed {} keys to their Cluster-ready names", renamed);
		}
	}

	private List<String> scan(String pattern) {
		List<String> keys = new ArrayList<>();
		try (Cursor<String> cursor = redis.scan(ScanOptions.scanOptions().match(pattern).count(1000).build())) {
			cursor.forEachRemaining(keys::add);
		}
		return keys;
	}

}
