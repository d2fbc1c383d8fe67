package dev.parley.user;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.lettuce.core.MapScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.parley.config.RedisAsync;
import dev.parley.config.RedisKeys;
import dev.parley.config.RedisScripts;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.context.annotation.DependsOn;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

/**
 * Finds users by the start of their id or name ({@code GET /api/users?q=}), so that a private
 * conversation can start with anyone, online or not. Each user is two entries of one sorted set
 * read by lexical range (id and lower-case name, each followed by the id), and their indexed name
 * in a hash, so that the entries can go with the user even once the user's own hash expired. Both
 * keys share one slot, so each change is one script; on a Cluster the directory is one shard's.
 */
@Component
@DependsOn("legacyKeyMigration")
public class UserDirectory implements InitializingBean {

	/** The most users one search answers. */
	public static final int MAX_RESULTS = 20;

	private static final Logger log = LoggerFactory.getLogger(UserDirectory.class);

	private static final String SEPARATOR = "\u0000";

	private static final List<String> KEYS = List.of(RedisKeys.DIRECTORY, RedisKeys.DIRECTORY_NAMES);

	private static final RedisScript<Long> ADD = RedisScripts.load("directory-add", Long.class);

	private static final RedisScript<Long> REMOVE = RedisScripts.load("directory-remove", Long.class);

	private final StringRedisTemplate redis;

	private final RedisAsync async;

	UserDirectory(StringRedisTemplate redis, RedisAsync async) {
		this.redis = redis;
		this.async = async;
	}

	public void add(String userId, String displayName) {
		redis.execute(ADD, KEYS, userId, displayName.toLowerCase(Locale.ROOT));
	}

	public void remove(String userId) {
		redis.execute(REMOVE, KEYS, userId);
	}

	/** The ids of users whose id or name starts with {@code prefix} (any case), in order, at most {@link #MAX_RESULTS}. */
	public List<String> search(String prefix) {
		String start = prefix.strip().toLowerCase(Locale.ROOT);
		if (start.isEmpty()) {
			return List.of();
		}
		Set<String> entries = redis.opsForZSet()
			.rangeByLex(RedisKeys.DIRECTORY, Range.rightOpen(start, successor(start)),
					Limit.limit().count(3 * MAX_RESULTS));
		Set<String> ids = new LinkedHashSet<>();
		for (String entry : entries == null ? Set.<String>of() : entries) {
			ids.add(entry.substring(entry.indexOf(SEPARATOR) + 1));
			if (ids.size() == MAX_RESULTS) {
				break;
			}
		}
		return new ArrayList<>(ids);
	}

	/** A page of every user's id, in no particular order; {@code next} the cursor of the next page, "0" after the last. */
	public record Page(List<String> ids, String next) {
	}

	/** Every user, a page at a time: start with cursor "0". */
	public Page all(String cursor, int count) {
		MapScanCursor<String, String> page = async.await(async.commands()
			.hscan(RedisKeys.DIRECTORY_NAMES, ScanCursor.of(cursor), ScanArgs.Builder.limit(count)));
		List<String> ids = new ArrayList<>(page.getMap().keySet());
		ids.sort(null);
		return new Page(ids, page.isFinished() ? "0" : page.getCursor());
	}

	/** The first string after every string that starts with {@code prefix}: its last code point plus one. */
	private static String successor(String prefix) {
		int last = prefix.codePointBefore(prefix.length());
		return prefix.substring(0, prefix.length() - Character.charCount(last)) + Character.toString(last + 1);
	}

	/**
	 * Users made before the directory existed are added once, at the first start of this version
	 * (on one Redis or Sentinel; a Cluster deployment began with it).
	 */
	@Override
	public void afterPropertiesSet() {
		if (async.isCluster() || Boolean.TRUE.equals(redis.hasKey(RedisKeys.DIRECTORY_BUILT))) {
			return;
		}
		int added = 0;
		try (Cursor<String> keys = redis.scan(ScanOptions.scanOptions().match(RedisKeys.user("*")).count(1000).build())) {
			while (keys.hasNext()) {
				String id = RedisKeys.userOfHash(keys.next());
				Object name = redis.opsForHash().get(RedisKeys.user(id), "name");
				if (name != null) {
					add(id, (String) name);
					added++;
				}
			}
		}
		redis.opsForValue().set(RedisKeys.DIRECTORY_BUILT, "1");
		if (added > 0) {
			log.info("Added {} existing users to the directory", added);
		}
	}

}
