package dev.parley.delivery;

import java.util.List;
import java.util.Map;

import dev.parley.config.RedisKeys;
import dev.parley.history.StreamId;
import dev.parley.room.RoomService;
import dev.parley.support.ParleyHttp;
import dev.parley.support.ParleyHttp.Guest;
import dev.parley.support.ParleyIntegrationTest;
import dev.parley.support.WsClient;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/** What a room missed, read back in the order it was made, against a real Redis. */
@ParleyIntegrationTest
class GapRecoveryIT {

	@Autowired
	GapRecovery recovery;

	@Autowired
	ParleyHttp http;

	@Autowired
	RoomService rooms;

	@Autowired
	StringRedisTemplate redis;

	/**
	 * An edit made before a message, in the same millisecond, gets the message's id in the room's
	 * changes stream: the newest message when it was made is what places it.
	 */
	@Test
	void aChangeMadeInTheSameMillisecondAsALaterMessageComesBeforeIt() {
		String room = "gap-order-" + System.nanoTime() % 1_000_000;
		rooms.createIfAbsent(room, room, "");
		Guest ann = http.guest("Ann");
		String first;
		String second;
		try (WsClient client = http.connectWelcomed(ann)) {
			client.request(Map.of("type", "join", "room", room));
			first = client.request(Map.of("type", "message", "room", room, "text", "first")).path("id").asString();
			second = client.request(Map.of("type", "message", "room", room, "text", "second")).path("id").asString();
		}
		String history = RedisKeys.roomHistory(room);
		// the edit of the first, made when the first was the newest, recorded with the second's id
		redis.opsForStream().add(StreamRecords.string(Map.of("m", first, "d", "{\"type\":\"edited\",\"id\":\"" + first
				+ "\"}", "h", first)).withStreamKey(RedisKeys.changesOf(history)).withId(RecordId.of(second)));

		GapRecovery.Gap gap = recovery.room(room, StreamId.parse(first)).join();

		assertThat(gap.complete()).isTrue();
		List<String> order = gap.missed().stream().map(missed -> missed.json().contains("\"edited\"") ? "edit"
				: missed.json().contains(second) ? "second" : missed.json()).toList();
		assertThat(order).containsExactly("edit", "second");
	}

}
