package dev.parley.config;

import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RedisKeysTest {

	@Test
	void aRoomsKeysAndChannelShareOneSlot() {
		int slot = SlotHash.getSlot(RedisKeys.room("lobby"));
		assertThat(new String[] { RedisKeys.roomMembers("lobby"), RedisKeys.roomHistory("lobby"),
				RedisKeys.roomChannel("lobby") })
			.allSatisfy(key -> assertThat(SlotHash.getSlot(key)).as(key).isEqualTo(slot));
	}

	@Test
	void aUsersKeysAndChannelShareOneSlot() {
		String id = "ann";
		int slot = SlotHash.getSlot(RedisKeys.user(id));
		assertThat(new String[] { RedisKeys.userRooms(id), RedisKeys.userReads(id), RedisKeys.userConnections(id),
				RedisKeys.userOffline(id), RedisKeys.userConversations(id), RedisKeys.userTokens(id),
				RedisKeys.userRememberMe(id), RedisKeys.userChannel(id) })
			.allSatisfy(key -> assertThat(SlotHash.getSlot(key)).as(key).isEqualTo(slot));
	}

	@Test
	void aConversationIsNamedTheSameWhoeverSends() {
		assertThat(RedisKeys.conversationHistory("ann", "ben")).isEqualTo(RedisKeys.conversationHistory("ben", "ann"))
			.isEqualTo("parley:{dm:ann:ben}:history");
	}

	@Test
	void channelsNameTheirRoomOrUser() {
		assertThat(RedisKeys.roomOfChannel(RedisKeys.roomChannel("x-1"))).isEqualTo("x-1");
		assertThat(RedisKeys.userOfChannel(RedisKeys.userChannel("g.ann"))).isEqualTo("g.ann");
		assertThat(RedisKeys.roomOfChannel(RedisKeys.userChannel("ann"))).isNull();
		assertThat(RedisKeys.userOfChannel(RedisKeys.ALL_CHANNEL)).isNull();
	}

	@Test
	void keysNamedBeforeTheHashTagsMapToTodaysNames() {
		assertThat(RedisKeys.migrated("parley:user:ann")).isEqualTo(RedisKeys.user("ann"));
		assertThat(RedisKeys.migrated("parley:user:ann:rooms")).isEqualTo(RedisKeys.userRooms("ann"));
		assertThat(RedisKeys.migrated("parley:room:lobby:history")).isEqualTo(RedisKeys.roomHistory("lobby"));
		assertThat(RedisKeys.migrated("parley:room:lobby")).isEqualTo(RedisKeys.room("lobby"));
		assertThat(RedisKeys.migrated("parley:dm:ann:ben")).isEqualTo(RedisKeys.conversationHistory("ann", "ben"));
		assertThat(RedisKeys.migrated("parley:rooms")).isNull();
		assertThat(RedisKeys.migrated("parley:token:abc")).isNull();
	}

}
