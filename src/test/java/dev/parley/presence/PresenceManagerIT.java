package dev.parley.presence;

import java.util.ArrayList;
import java.util.List;

import dev.parley.room.RoomService;
import dev.parley.support.ParleyIntegrationTest;
import dev.parley.user.User;
import dev.parley.user.UserService;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/** Who of a room is online, against a real Redis, whichever of the two sets is the smaller. */
@ParleyIntegrationTest
class PresenceManagerIT {

	@Autowired
	PresenceManager presence;

	@Autowired
	RoomService rooms;

	@Autowired
	UserService users;

	private final String room = "presence-" + System.nanoTime() % 1_000_000;

	@Test
	void aRoomWithManyMoreMembersThanOnlineUsersListsOnlyItsOnlineOnes() {
		for (int i = 0; i < 300; i++) {
			rooms.join("gone-" + room + "-" + i, room);
		}
		User here = online("here");
		User alsoHere = online("also-here");
		rooms.join(here.id(), room);
		rooms.join(alsoHere.id(), room);
		online("elsewhere");

		assertThat(presence.onlineMembers(room)).extracting(User::id)
			.containsExactlyInAnyOrder(here.id(), alsoHere.id());
	}

	@Test
	void aRoomWithFewerMembersThanOnlineUsersListsOnlyItsOnlineOnes() {
		List<User> crowd = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			crowd.add(online("crowd"));
		}
		User away = users.createGuest("away");
		rooms.join(away.id(), room);
		rooms.join(crowd.get(3).id(), room);

		assertThat(presence.onlineMembers(room)).extracting(User::id).containsExactly(crowd.get(3).id());
	}

	@Test
	void aMemberWhoseLastConnectionClosedIsNotListed() {
		User left = users.createGuest("left");
		rooms.join(left.id(), room);
		presence.connect(left.id(), "c-" + left.id());
		presence.disconnect(left.id(), "c-" + left.id());

		assertThat(presence.onlineMembers(room)).isEmpty();
	}

	private User online(String name) {
		User user = users.createGuest(name);
		presence.connect(user.id(), "c-" + user.id());
		return user;
	}

}
