package dev.parley.chat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import dev.parley.presence.PresenceManager;
import dev.parley.room.RoomService;
import dev.parley.support.ParleyHttp.Guest;
import dev.parley.support.ParleyInstance;
import dev.parley.support.TwoInstances;
import dev.parley.support.WsClient;
import dev.parley.user.User;
import dev.parley.user.UserService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The contract's "Large rooms" over real sockets to two instances on one Redis, with
 * {@code parley.presence.count-above=3}: {@code joined} lists at most 100 members online with
 * their number, {@code members} pages through the rest in a stable order, and above the threshold
 * the members get count events, at most one a second, instead of an event per join or leave.
 */
class LargeRoomsIT {

	@RegisterExtension
	static final TwoInstances instances = TwoInstances.withProperties("parley.presence.count-above=3");

	@Test
	void joinedListsAHundredMembersOnlineAndMembersPagesThroughTheRestInIdOrder() {
		String room = instances.a().newRoom("crowd");
		List<String> online = new ArrayList<>();
		for (int i = 0; i < 130; i++) {
			online.add(onlineMember(instances.b(), room, "crowd" + i).id());
		}
		Guest ann = instances.a().http().guest("Ann");
		online.add(ann.id());
		online.sort(Comparator.naturalOrder());
		await().until(() -> instances.a().bean(PresenceManager.class).onlinePage(room, null, 1).online() == 130);
		try (WsClient client = instances.a().http().connectWelcomed(ann)) {
			JsonNode joined = client.request(Map.of("type", "join", "room", room));

			assertThat(joined.path("online").asLong()).isEqualTo(131);
			assertThat(ids(joined.path("members"))).containsExactlyElementsOf(online.subList(0, 100));
			JsonNode rest = client.request(Map.of("type", "members", "room", room, "after",
					online.get(99)));
			assertThat(rest.path("type").asString()).isEqualTo("members");
			assertThat(ids(rest.path("members"))).containsExactlyElementsOf(online.subList(100, 131));
			assertThat(rest.path("online").asLong()).isEqualTo(131);
			assertThat(rest.path("next").isNull()).as("the last page").isTrue();

			JsonNode small = client.request(Map.of("type", "members", "room", room, "limit", 10));
			assertThat(ids(small.path("members"))).containsExactlyElementsOf(online.subList(0, 10));
			assertThat(small.path("next").asString()).isEqualTo(online.get(9));

			assertThat(code(client.request(Map.of("type", "members", "room", room, "limit", 101)))).isEqualTo("bad_request");
			assertThat(code(client.request(Map.of("type", "members", "room", room, "limit", 0)))).isEqualTo("bad_request");
			assertThat(code(client.request(Map.of("type", "members", "room", "lobby-" + System.nanoTime()))))
				.isEqualTo("not_found");
		}
	}

	@Test
	void aboveTheThresholdMembersGetACountEventASecondInsteadOfAnEventPerJoin() {
		String room = instances.a().newRoom("busy");
		try (WsClient ann = member(instances.a(), room, "Ann"); WsClient ben = member(instances.b(), room, "Ben");
				WsClient cat = member(instances.a(), room, "Cat")) {
			JsonNode single = ann.next(frame -> frame.path("type").asString().equals("presence")
					&& frame.path("user").path("name").asString().equals("Cat"), "Cat's join");
			assertThat(single.path("event").asString()).as("three online: single events").isEqualTo("join");

			List<WsClient> more = new ArrayList<>();
			try {
				for (String name : List.of("Dan", "Eve", "Fay")) {
					more.add(member(instances.b(), room, name));
				}
				long start = System.currentTimeMillis();
				List<JsonNode> seen = new ArrayList<>();
				await().until(() -> {
					for (JsonNode frame = ann.poll(100); frame != null; frame = ann.poll(100)) {
						if (frame.path("type").asString().equals("presence")) {
							seen.add(frame);
						}
					}
					return !seen.isEmpty() && seen.get(seen.size() - 1).path("online").asLong() == 6;
				});
				long took = System.currentTimeMillis() - start;

				assertThat(seen).allSatisfy(frame -> {
					assertThat(frame.path("event").asString()).isEqualTo("count");
					assertThat(frame.path("room").asString()).isEqualTo(room);
					assertThat(frame.has("user")).isFalse();
				});
				assertThat(seen).as("at most one a second").hasSizeLessThanOrEqualTo(1 + (int) (took / 1000) + 1);
			}
			finally {
				more.forEach(WsClient::close);
			}
		}
	}

	private static User onlineMember(ParleyInstance instance, String room, String name) {
		User user = instance.bean(UserService.class).createGuest(name);
		instance.bean(PresenceManager.class).connect(user.id(), "c-" + user.id());
		instance.bean(RoomService.class).join(user.id(), room);
		instance.bean(PresenceEvents.class).announce(user, List.of(room), "join");
		return user;
	}

	private static WsClient member(ParleyInstance instance, String room, String name) {
		WsClient client = instance.http().connectWelcomed(instance.http().guest(name));
		client.request(Map.of("type", "join", "room", room));
		return client;
	}

	private static List<String> ids(JsonNode users) {
		return users.findValuesAsString("id");
	}

	private static String code(JsonNode reply) {
		assertThat(reply.path("type").asString()).isEqualTo("error");
		return reply.path("code").asString();
	}

}
