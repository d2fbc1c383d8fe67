package dev.parley.presence;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import dev.parley.chat.PresenceEvents;
import dev.parley.config.RedisKeys;
import dev.parley.room.RoomService;
import dev.parley.support.ParleyIntegrationTest;
import dev.parley.user.User;
import dev.parley.user.UserService;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Who of a room is online, against a real Redis: the room's online set that presence events keep,
 * read a page at a time in id order, whatever the room's size.
 */
@ParleyIntegrationTest
class PresenceManagerIT {

	@Autowired
	PresenceManager presence;

	@Autowired
	PresenceEvents events;

	@Autowired
	RoomService rooms;

	@Autowired
	UserService users;

	@Autowired
	StringRedisTemplate redis;

	private final String room = "presence-" + System.nanoTime() % 1_000_000;

	@Test
	void aRoomWithManyMoreMembersThanOnlineUsersListsOnlyItsOnlineOnes() {
		for (int i = 0; i < 300; i++) {
			rooms.join("gone-" + room + "-" + i, room);
		}
		User here = cameOnline("here");
		User alsoHere = cameOnline("also-here");
		online("elsewhere");

		await().untilAsserted(() -> assertThat(presence.onlineMembers(room)).extracting(User::id)
			.containsExactly(sorted(here.id(), alsoHere.id())));
		assertThat(presence.onlinePage(room, null, PresenceManager.PAGE).online()).isEqualTo(2);
	}

	@Test
	void theOnlineMembersComeAPageAtATimeInIdOrderEachOnce() {
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 7; i++) {
			ids.add(cameOnline("pager").id());
		}
		ids.sort(Comparator.naturalOrder());
		await().until(() -> presence.onlinePage(room, null, 3).online() == 7);

		PresenceManager.OnlinePage first = presence.onlinePage(room, null, 3);
		PresenceManager.OnlinePage second = presence.onlinePage(room, first.next(), 3);
		PresenceManager.OnlinePage third = presence.onlinePage(room, second.next(), 3);

		assertThat(first.members()).extracting(User::id).containsExactlyElementsOf(ids.subList(0, 3));
		assertThat(second.members()).extracting(User::id).containsExactlyElementsOf(ids.subList(3, 6));
		assertThat(third.members()).extracting(User::id).containsExactly(ids.get(6));
		assertThat(first.next()).isEqualTo(ids.get(2));
		assertThat(third.next()).as("the last page").isNull();
	}

	@Test
	void aMemberWhoWentOfflineOrWhoseOnlineEntryExpiredIsNotListed() {
		User left = cameOnline("left");
		User expired = cameOnline("expired");
		User stays = cameOnline("stays");
		await().until(() -> presence.onlineMembers(room).size() == 3);

		presence.disconnect(left.id(), "c-" + left.id());
		events.announce(left, List.of(room), "offline");
		// as if the instance holding it died: its online entry lapses before any offline event
		redis.opsForZSet().add(RedisKeys.ONLINE, expired.id(), System.currentTimeMillis() - 1);

		await().untilAsserted(() -> assertThat(presence.onlineMembers(room)).extracting(User::id)
			.containsExactly(stays.id()));
		assertThat(redis.opsForZSet().score(RedisKeys.roomOnline(room), expired.id())).as("dropped").isNull();
	}

	private User cameOnline(String name) {
		User user = online(name);
		rooms.join(user.id(), room);
		events.announce(user, List.of(room), "join");
		return user;
	}

	private User online(String name) {
		User user = users.createGuest(name);
		presence.connect(user.id(), "c-" + user.id());
		return user;
	}

	private static String[] sorted(String... ids) {
		List<String> list = new ArrayList<>(List.of(ids));
		list.sort(Comparator.naturalOrder());
		return list.toArray(String[]::new);
	}

}
