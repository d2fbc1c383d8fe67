package dev.parley.history;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.parley.config.RedisKeys;
import dev.parley.room.RoomService;
import dev.parley.support.ParleyIntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/** Unread counts read against a real Redis, as the welcome frame needs them. */
@ParleyIntegrationTest
class RedisHistoryStoreIT {

	@Autowired
	RedisHistoryStore history;

	@Autowired
	RoomService rooms;

	@Autowired
	StringRedisTemplate redis;

	private final String prefix = "unread-" + System.nanoTime() % 1_000_000 + "-";

	private final String user = "reader-" + System.nanoTime();

	@Test
	void countsEachRoomAfterItsOwnReadMarkInTheGivenOrder() {
		List<String> marked = append(prefix + "marked", 5);
		append(prefix + "unmarked", 4);
		rooms.markRead(user, prefix + "marked", marked.get(1));

		assertThat(history.unreadCountsAsync(user,
				List.of(prefix + "unmarked", prefix + "empty", prefix + "marked"), 100).join())
			.extracting(RedisHistoryStore.Unread::messages)
			.containsExactly(4L, 0L, 3L);
	}

	@Test
	void countsNothingWhenTheNewestMessageIsRead() {
		List<String> ids = append(prefix + "read", 3);
		rooms.markRead(user, prefix + "read", ids.get(2));

		assertThat(history.unreadCountsAsync(user, List.of(prefix + "read"), 100).join()).extracting(RedisHistoryStore.Unread::messages)
			.containsExactly(0L);
	}

	@Test
	void stopsCountingAtTheCap() {
		append(prefix + "busy", 7);

		assertThat(history.unreadCountsAsync(user, List.of(prefix + "busy"), 5).join()).extracting(RedisHistoryStore.Unread::messages)
			.containsExactly(5L);
	}

	@Test
	void aUserInNoRoomsGetsNoCounts() {
		assertThat(history.unreadCountsAsync(user, List.of(), 100).join()).isEmpty();
	}

	private List<String> append(String slug, int count) {
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			ids.add(redis.opsForStream()
				.add(RedisKeys.roomHistory(slug), Map.of(RedisHistoryStore.TAIL_FIELD, ",\"text\":\"m" + i + "\""))
				.getValue());
		}
		return ids;
	}

}
