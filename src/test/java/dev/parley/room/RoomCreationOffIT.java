package dev.parley.room;

import java.util.Map;

import dev.parley.support.ParleyHttp;
import dev.parley.support.ParleyHttp.Guest;
import dev.parley.support.ParleyIntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/** With {@code parley.rooms.users-create=false}, rooms are the admins' to make. */
@ParleyIntegrationTest(properties = { "parley.embedded-redis.dir=target/test-redis/${random.uuid}",
		"parley.rooms.users-create=false" })
class RoomCreationOffIT {

	@Autowired
	ParleyHttp http;

	@Autowired
	RoomService rooms;

	@Test
	void aUsersRoomIsRefusedWhenOnlyAdminsMakeRooms() {
		Guest ann = http.guest("Ann");
		var refused = http.api(ann.token(), "/api/rooms", Map.of("slug", "mine", "name", "Mine"));

		assertThat(refused.statusCode()).isEqualTo(403);
		assertThat(ParleyHttp.json(refused).path("error").asString()).contains("admins");
		assertThat(rooms.find("mine")).isEmpty();
	}

}
