package dev.parley.files;

import java.time.Duration;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.parley.config.ParleyProperties;
import dev.parley.config.RedisKeys;
import dev.parley.config.RedisScripts;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * Every {@code parley.files.sweep-interval}, removes the files whose messages are gone from their
 * stream without a delete: taken off by the stream's length bound ({@code MAXLEN}), or with a
 * deleted room's history. A deleted message's files go with it at once ({@link FileService#remove}).
 * Every instance sweeps; a second sweep finds nothing left to do.
 */
@Component
class TrimmedFilesSweeper implements SchedulingConfigurer {

	private static final Logger log = LoggerFactory.getLogger(TrimmedFilesSweeper.class);

	private static final RedisScript<List> TRIMMED_FILES = RedisScripts.load("trimmed-files", List.class);

	private static final int BATCH = 500;

	private final StringRedisTemplate redis;

	private final FileService files;

	private final Duration interval;

	TrimmedFilesSweeper(StringRedisTemplate redis, FileService files, ParleyProperties properties) {
		this.redis = redis;
		this.files = files;
		this.interval = properties.files().sweepInterval();
	}

	@Override
	public void configureTasks(ScheduledTaskRegistrar registrar) {
		registrar.addFixedDelayTask(new FixedDelayTask(this::sweepSafely, interval, interval));
	}

	private void sweepSafely() {
		try {
			int removed = sweep();
			if (removed > 0) {
				log.info("Removed {} files of messages no longer kept", removed);
			}
		}
		catch (DataAccessException ex) {
			log.warn("Sweeping the files of trimmed messages failed; the next sweep tries again", ex);
		}
	}

	/** @return how many files were removed */
	int sweep() {
		int removed = 0;
		try (Cursor<String> streams = redis.opsForSet()
			.scan(RedisKeys.FILE_STREAMS, ScanOptions.scanOptions().count(BATCH).build())) {
			while (streams.hasNext()) {
				removed += sweep(streams.next());
			}
		}
		return removed;
	}

	private int sweep(String stream) {
		String listed = RedisKeys.filesOf(stream);
		int removed = 0;
		List<String> gone;
		do {
			gone = trimmed(stream, listed);
			files.remove(gone);
			removed += gone.size();
		}
		while (gone.size() == BATCH);
		if (!Boolean.TRUE.equals(redis.hasKey(stream)) && !Boolean.TRUE.equals(redis.hasKey(listed))) {
			redis.opsForSet().remove(RedisKeys.FILE_STREAMS, stream);
		}
		return removed;
	}

	@SuppressWarnings("unchecked")
	private List<String> trimmed(String stream, String listed) {
		return (List<String>) redis.execute(TRIMMED_FILES, List.of(stream, listed), Integer.toString(BATCH));
	}

}
