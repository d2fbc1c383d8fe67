package dev.parley.admin;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.parley.chat.InstanceStats;
import dev.parley.config.RedisKeys;
import dev.parley.config.RedisScripts;

import org.springframework.dao.DataAccessException;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The console's charts over the last hour, the same for every admin: each instance appends its
 * numbers to one Redis stream every {@link #STEP} on the wall clock, so that the instances' samples
 * fall at the same moments and add up.
 */
@Component
class StatsHistory {

	static final Duration STEP = Duration.ofSeconds(10);

	static final Duration SPAN = Duration.ofHours(1);

	private static final Logger log = LoggerFactory.getLogger(StatsHistory.class);

	private static final RedisScript<Long> SAMPLE = RedisScripts.load("stats-sample", Long.class);

	/** One instance's samples, oldest first: each {@code [at, connections, messages, deliveries, refused]}. */
	record Line(String instance, List<long[]> samples) {
	}

	/** What the charts draw: the lines, with the step between samples and the span kept, in ms. */
	record History(long step, long span, List<Line> instances) {
	}

	private final StringRedisTemplate redis;

	private final InstanceStats stats;

	StatsHistory(StringRedisTemplate redis, InstanceStats stats) {
		this.redis = redis;
		this.stats = stats;
	}

	@Scheduled(cron = "*/10 * * * * *")
	void sample() {
		try {
			record();
		}
		catch (DataAccessException ex) {
			log.debug("Could not add to the console's history", ex);
		}
	}

	/** Appends this instance's numbers as of now and drops the samples older than {@link #SPAN}; returns how many are left. */
	long record() {
		InstanceStats.Numbers numbers = stats.local();
		String oldestKept = Long.toString(System.currentTimeMillis() - SPAN.toMillis());
		Long left = redis.execute(SAMPLE, List.of(RedisKeys.STATS_HISTORY), oldestKept,
				numbers.instance(), Long.toString(numbers.connections()), Long.toString(numbers.messages()),
				Long.toString(numbers.deliveries()), Long.toString(numbers.refused()));
		return left == null ? 0 : left;
	}

	History read() {
		long from = System.currentTimeMillis() - SPAN.toMillis();
		List<MapRecord<String, Object, Object>> records = redis.opsForStream()
			.range(RedisKeys.STATS_HISTORY, Range.rightUnbounded(Range.Bound.inclusive(from + "-0")));
		Map<String, List<long[]>> lines = new LinkedHashMap<>();
		for (MapRecord<String, Object, Object> record : records == null ? List.<MapRecord<String, Object, Object>>of()
				: records) {
			Map<Object, Object> fields = record.getValue();
			lines.computeIfAbsent(String.valueOf(fields.get("i")), instance -> new ArrayList<>())
				.add(new long[] { record.getId().getTimestamp(), number(fields, "c"), number(fields, "m"),
						number(fields, "d"), number(fields, "r") });
		}
		List<Line> instances = new ArrayList<>();
		lines.forEach((instance, samples) -> instances.add(new Line(instance, samples)));
		return new History(STEP.toMillis(), SPAN.toMillis(), instances);
	}

	private static long number(Map<Object, Object> fields, String name) {
		Object value = fields.get(name);
		return value == null ? 0 : Long.parseLong(value.toString());
	}

}
