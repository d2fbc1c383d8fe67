package dev.parley.messaging;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.parley.config.ParleyProperties;
import dev.parley.config.RedisKeys;
import dev.parley.history.MessageFormat;
import dev.parley.history.RedisHistoryStore;
import dev.parley.support.ParleyIntegrationTest;
import dev.parley.user.User;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What records edits and deletes stays bounded with the stream it belongs to: the changes stream
 * by the same MAXLEN, the edits hash by dropping, once it holds twice the stream's bound, the
 * entries of messages trimmed off the stream.
 */
@ParleyIntegrationTest
class MessageChangesStorageIT {

	@Autowired
	MessageChanges changes;

	@Autowired
	MessageFormat format;

	@Autowired
	RedisHistoryStore history;

	@Autowired
	StringRedisTemplate redis;

	@Autowired
	ParleyProperties properties;

	@Test
	void editsOfMessagesTrimmedOffTheStreamAreDroppedAndTheChangesStreamIsTrimmedWithIt() {
		User ann = User.member("bound-ann-" + System.nanoTime(), "Ann");
		User ben = User.member("bound-ben-" + System.nanoTime(), "Ben");
		String stream = RedisKeys.conversationHistory(ann.id(), ben.id());
		int bound = properties.history().maxPerConversation();
		List<String> ids = new ArrayList<>();
		for (int i = 0; i <= 2 * bound + 50; i++) {
			RecordId id = redis.opsForStream().add(StreamRecords.string(
					Map.of(RedisHistoryStore.TAIL_FIELD, format.privateTail(ann, ben, "message " + i), "c", ""))
				.withStreamKey(stream));
			ids.add(id.getValue());
		}
		for (int i = 0; i < 2 * bound; i++) {
			changes.editPrivate(ann, ben.id(), ids.get(i), "edited " + i);
		}
		assertThat(redis.opsForHash().size(RedisKeys.editsOf(stream))).isEqualTo(2L * bound);

		// as MAXLEN would over time: only the newest 50 messages are left
		redis.opsForStream().trim(stream, 50);
		String newest = ids.get(ids.size() - 1);
		changes.editPrivate(ann, ben.id(), newest, "the last edit");

		assertThat(redis.opsForHash().keys(RedisKeys.editsOf(stream))).containsExactly(newest);
		// MAXLEN ~ trims whole nodes of 100 entries
		assertThat(redis.opsForStream().size(RedisKeys.changesOf(stream))).isBetween((long) bound, bound + 100L);
		List<String> page = history.conversationBefore(ann.id(), ben.id(), null, 1);
		assertThat(page).singleElement().asString().contains("\"text\":\"the last edit\"", "\"edited\":");
	}

}
