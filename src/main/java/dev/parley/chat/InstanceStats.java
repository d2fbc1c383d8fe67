package dev.parley.chat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.parley.config.RedisKeys;
import dev.parley.delivery.Hub;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * This instance's live numbers (connections and {@link MessageCounters}), and every instance's
 * as last reported to Redis: each instance writes its own every {@link #REPORT_EVERY_MILLIS} ms, with a TTL, so an
 * instance that stops reporting drops out on its own.
 */
@Component
public class InstanceStats {

	static final long REPORT_EVERY_MILLIS = 2_000;

	private static final Duration REPORT_EVERY = Duration.ofMillis(REPORT_EVERY_MILLIS);

	private static final Duration REPORT_TTL = REPORT_EVERY.multipliedBy(5);

	private static final Logger log = LoggerFactory.getLogger(InstanceStats.class);

	/**
	 * One instance's numbers; {@code messages}, {@code deliveries} and {@code refused} (messages
	 * refused as busy) count up from its start.
	 */
	public record Numbers(String instance, long connections, long messages, long deliveries, long refused) {
	}

	private final String id;

	private final StringRedisTemplate redis;

	private final Hub hub;

	private final MessageCounters counters;

	InstanceStats(InstanceId instance, StringRedisTemplate redis, Hub hub, MessageCounters counters) {
		this.id = instance.id();
		this.redis = redis;
		this.hub = hub;
		this.counters = counters;
	}

	public Numbers local() {
		return new Numbers(id, hub.connectionCount(), counters.messages(), counters.deliveries(),
				counters.refusals());
	}

	/** Every instance that reported within the TTL, this one first, with its numbers as of now. */
	public List<Numbers> all() {
		List<Numbers> all = new ArrayList<>();
		all.add(local());
		Set<String> ids = redis.opsForSet().members(RedisKeys.INSTANCES);
		for (String other : ids == null ? Set.<String>of() : ids) {
			if (other.equals(id)) {
				continue;
			}
			Map<Object, Object> fields = redis.opsForHash().entries(RedisKeys.instance(other));
			if (fields.isEmpty()) {
				redis.opsForSet().remove(RedisKeys.INSTANCES, other);
			}
			else {
				all.add(new Numbers(other, number(fields, "connections"), number(fields, "messages"),
						number(fields, "deliveries"), number(fields, "refused")));
			}
		}
		return all;
	}

	@Scheduled(fixedDelay = REPORT_EVERY_MILLIS)
	void report() {
		Numbers now = local();
		String key = RedisKeys.instance(id);
		try {
			redis.opsForHash().putAll(key, Map.of("connections", Long.toString(now.connections()), "messages",
					Long.toString(now.messages()), "deliveries", Long.toString(now.deliveries()), "refused",
					Long.toString(now.refused())));
			redis.expire(key, REPORT_TTL);
			redis.opsForSet().add(RedisKeys.INSTANCES, id);
		}
		catch (DataAccessException ex) {
			log.debug("Could not report this instance's numbers", ex);
		}
	}

	private static long number(Map<Object, Object> fields, String name) {
		Object value = fields.get(name);
		return value == null ? 0 : Long.parseLong((String) value);
	}

}
