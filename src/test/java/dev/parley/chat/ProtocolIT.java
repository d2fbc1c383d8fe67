package dev.parley.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;

import dev.parley.room.RoomService;
import dev.parley.support.ParleyHttp.Guest;
import dev.parley.support.ParleyHttp;
import dev.parley.support.ParleyIntegrationTest;
import dev.parley.support.WsClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/** Every row of PROTOCOL.md, over real WebSockets against the real app and a real Redis. */
@ParleyIntegrationTest
class ProtocolIT {

	@Autowired
	RoomService rooms;

	@Autowired
	StringRedisTemplate redis;

	@Autowired
	ParleyHttp http;

	String room;

	@BeforeEach
	void setUp() {
		room = "t-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
		rooms.createIfAbsent(room, "Test " + room, "");
	}

	@Test
	void welcomeIsTheFirstFrameAndNamesTheUserAndTheirRooms() {
		Guest ann = http.guest("Ann");
		try (WsClient ws = http.connect(ann)) {
			ws.request(Map.of("type", "join", "room", room));
		}
		try (WsClient ws = http.connect(ann)) {
			JsonNode welcome = ws.next();
			assertThat(welcome.path("type").asString()).isEqualTo("welcome");
			assertThat(welcome.path("user").path("id").asString()).isEqualTo(ann.id());
			assertThat(welcome.path("user").path("guest").asBoolean()).isTrue();
			assertThat(welcome.path("connection").asString()).isNotBlank();
			assertThat(welcome.path("rooms").findValuesAsString("slug")).contains(room);
		}
	}

	@Test
	void joinRepliesWithOnlineMembersAndHistoryAndTellsOtherMembers() {
		Guest ann = http.guest("Ann");
		Guest ben = http.guest("Ben");
		try (WsClient a = http.connectWelcomed(ann); WsClient b = http.connectWelcomed(ben)) {
			a.request(Map.of("type", "join", "room", room));
			a.request(Map.of("type", "message", "room", room, "text", "first"));

			JsonNode joined = b.request(Map.of("type", "join", "room", room));

			assertThat(joined.path("type").asString()).isEqualTo("joined");
			assertThat(joined.path("room").asString()).isEqualTo(room);
			assertThat(joined.path("members").findValuesAsString("id")).containsExactlyInAnyOrder(ann.id(), ben.id());
			assertThat(joined.path("history").findValuesAsString("text")).containsExactly("first");
			JsonNode presence = a.next("presence");
			assertThat(presence.path("event").asString()).isEqualTo("join");
			assertThat(presence.path("room").asString()).isEqualTo(room);
			assertThat(presence.path("user").path("id").asString()).isEqualTo(ben.id());
		}
	}

	@Test
	void framesSentWithoutWaitingAreRepliedToInTheOrderSent() {
		Guest ann = http.guest("Ann");
		try (WsClient ws = http.connectWelcomed(ann)) {
			ws.request(Map.of("type", "join", "room", "lobby"));
			for (int i = 0; i < 30; i++) {
				ws.send(Map.of("type", "message", "room", "lobby", "text", "n" + i, "ref", "n" + i));
			}
			List<String> replies = new ArrayList<>();
			while (replies.size() < 30) {
				JsonNode frame = ws.next();
				if (frame.has("ref")) {
					replies.add(frame.path("ref").asString());
				}
			}
			assertThat(replies).containsExactlyElementsOf(IntStream.range(0, 30).mapToObj(i -> "n" + i).toList());
		}
	}

	@Test
	void messageIsAckedThenDeliveredToEveryConnectionOfEveryMember() {
		Guest ann = http.guest("Ann");
		Guest ben = http.guest("Ben");
		try (WsClient a = http.connectWelcomed(ann); WsClient a2 = http.connectWelcomed(ann);
				WsClient b = http.connectWelcomed(ben)) {
			a.request(Map.of("type", "join", "room", room));
			b.request(Map.of("type", "join", "room", room));

			a.send(Map.of("type", "message", "room", room, "text", "hello <b>all</b>", "ref", "m1"));

			JsonNode ack = a.next(frame -> "m1".equals(frame.path("ref").asString())
					|| "message".equals(frame.path("type").asString()), "ack or message");
			assertThat(ack.path("type").asString()).as("the ack comes before the echo").isEqualTo("ack");
			String id = ack.path("id").asString();
			for (WsClient ws : List.of(a, a2, b)) {
				JsonNode message = ws.next("message");
				assertThat(message.path("id").asString()).isEqualTo(id);
				assertThat(message.path("room").asString()).isEqualTo(room);
				assertThat(message.path("text").asString()).isEqualTo("hello <b>all</b>");
				assertThat(message.path("from").path("id").asString()).isEqualTo(ann.id());
				assertThat(message.path("ts").asLong()).isEqualTo(ack.path("ts").asLong());
			}
		}
	}

	@Test
	void messageIdsIncreaseStrictlyWithinARoom() {
		Guest ann = http.guest("Ann");
		try (WsClient a = http.connectWelcomed(ann)) {
			a.request(Map.of("type", "join", "room", room));
			String previous = "0-0";
			for (int i = 0; i < 20; i++) {
				String id = a.request(Map.of("type", "message", "room", room, "text", "n" + i)).path("id").asString();
				assertThat(compareIds(id, previous)).isPositive();
				previous = id;
			}
		}
	}

	@Test
	void leaveEndsMembershipAndTellsOthers() {
		Guest ann = http.guest("Ann");
		Guest ben = http.guest("Ben");
		try (WsClient a = http.connectWelcomed(ann); WsClient b = http.connectWelcomed(ben)) {
			a.request(Map.of("type", "join", "room", room));
			b.request(Map.of("type", "join", "room", room));

			JsonNode left = b.request(Map.of("type", "leave", "room", room));

			assertThat(left.path("type").asString()).isEqualTo("left");
			assertThat(left.path("room").asString()).isEqualTo(room);
			JsonNode presence = a.next(f -> "leave".equals(f.path("event").asString()), "presence leave");
			assertThat(presence.path("user").path("id").asString()).isEqualTo(ben.id());
			a.request(Map.of("type", "message", "room", room, "text", "after leave"));
			b.expectNone("message", 500);
			assertThat(b.request(Map.of("type", "message", "room", room, "text", "x")).path("code").asString())
				.isEqualTo("not_member");
		}
	}

	@Test
	void membershipSurvivesReconnect() {
		Guest ann = http.guest("Ann");
		Guest ben = http.guest("Ben");
		try (WsClient a = http.connectWelcomed(ann)) {
			a.request(Map.of("type", "join", "room", room));
		}
		try (WsClient a = http.connectWelcomed(ann); WsClient b = http.connectWelcomed(ben)) {
			b.request(Map.of("type", "join", "room", room));
			b.request(Map.of("type", "message", "room", room, "text", "still there?"));
			assertThat(a.next("message").path("text").asString()).isEqualTo("still there?");
			assertThat(a.request(Map.of("type", "message", "room", room, "text", "yes")).path("type").asString())
				.isEqualTo("ack");
		}
	}

	@Test
	void joinWithSinceReturnsEveryMessageAfterThatId() {
		Guest ann = http.guest("Ann");
		try (WsClient a = http.connectWelcomed(ann); WsClient a2 = http.connectWelcomed(ann);
				WsClient a3 = http.connectWelcomed(ann)) {
			a.request(Map.of("type", "join", "room", room));
			String first = a.request(Map.of("type", "message", "room", room, "text", "m0")).path("id").asString();
			List<WsClient> senders = List.of(a, a2, a3);
			for (int i = 1; i < 60; i++) {
				senders.get(i % 3).request(Map.of("type", "message", "room", room, "text", "m" + i));
			}
			JsonNode joined = a.request(Map.of("type", "join", "room", room, "since", first));
			List<String> texts = joined.path("history").findValuesAsString("text");
			assertThat(texts).hasSize(59).first().isEqualTo("m1");
			assertThat(texts).last().isEqualTo("m59");
		}
	}

	@Test
	void historyPagesBackwardsOldestFirst() {
		Guest ann = http.guest("Ann");
		try (WsClient a = http.connectWelcomed(ann)) {
			a.request(Map.of("type", "join", "room", room));
			String fifth = null;
			for (int i = 0; i < 10; i++) {
				String id = a.request(Map.of("type", "message", "room", room, "text", "h" + i)).path("id").asString();
				if (i == 5) {
					fifth = id;
				}
			}
			JsonNode page = a.request(Map.of("type", "history", "room", room, "before", fifth, "limit", 3));
			assertThat(page.path("type").asString()).isEqualTo("history");
			assertThat(page.path("room").asString()).isEqualTo(room);
			assertThat(page.path("messages").findValuesAsString("text")).containsExactly("h2", "h3", "h4");
			JsonNode latest = a.request(Map.of("type", "history", "room", room, "limit", 2));
			assertThat(latest.path("messages").findValuesAsString("text")).containsExactly("h8", "h9");
		}
	}

	@Test
	void typingReachesOtherMembersOnly() {
		Guest ann = http.guest("Ann");
		Guest ben = http.guest("Ben");
		try (WsClient a = http.connectWelcomed(ann); WsClient b = http.connectWelcomed(ben)) {
			a.request(Map.of("type", "join", "room", room));
			b.request(Map.of("type", "join", "room", room));
			a.send(Map.of("type", "typing", "room", room));
			JsonNode typing = b.next("typing");
			assertThat(typing.path("room").asString()).isEqualTo(room);
			assertThat(typing.path("user").path("id").asString()).isEqualTo(ann.id());
			a.expectNone("typing", 500);
		}
	}

	@Test
	void typingInAPrivateConversationReachesTheOtherUserNamingTheTypist() {
		Guest ann = http.guest("Ann");
		Guest ben = http.guest("Ben");
		try (WsClient a = http.connectWelcomed(ann); WsClient b = http.connectWelcomed(ben)) {
			a.send(Map.of("type", "typing", "to", ben.id()));

			JsonNode typing = b.next("typing");
			assertThat(typing.path("with").asString()).isEqualTo(ann.id());
			assertThat(typing.path("user").path("name").asString()).isEqualTo(ann.name());
			assertThat(typing.has("room")).isFalse();
			a.expectNone("typing", 300);
			JsonNode unknown = a.request(Map.of("type", "typing", "to", "nobody-" + System.nanoTime()));
			assertThat(unknown.path("code").asString()).isEqualTo("not_found");
		}
	}

	@Test
	void pingGetsPong() {
		try (WsClient a = http.connectWelcomed(http.guest("Ann"))) {
			a.send(Map.of("type", "ping"));
			assertThat(a.next().path("type").asString()).isEqualTo("pong");
		}
	}

	@Test
	void privateMessageReachesEveryConnectionOfBothUsers() {
		Guest ann = http.guest("Ann");
		Guest ben = http.guest("Ben");
		try (WsClient a = http.connectWelcomed(ann); WsClient a2 = http.connectWelcomed(ann);
				WsClient b = http.connectWelcomed(ben); WsClient b2 = http.connectWelcomed(ben)) {
			JsonNode ack = a.request(Map.of("type", "private", "to", ben.id(), "text", "psst"));
			assertThat(ack.path("type").asString()).isEqualTo("ack");
			assertThat(a.next().path("type").asString()).as("the sender's own copy, right behind the ack")
				.isEqualTo("private");
			for (WsClient ws : List.of(a2, b, b2)) {
				JsonNode message = ws.next("private");
				assertThat(message.path("id").asString()).isEqualTo(ack.path("id").asString());
				assertThat(message.path("from").path("id").asString()).isEqualTo(ann.id());
				assertThat(message.path("to").path("id").asString()).isEqualTo(ben.id());
				assertThat(message.path("text").asString()).isEqualTo("psst");
			}
			for (WsClient ws : List.of(a, a2, b, b2)) {
				ws.expectNone("private", 200);
			}
		}
	}

	@Test
	void privateMessageToYourselfReachesEachOfYourConnectionsOnce() {
		Guest ann = http.guest("Ann");
		try (WsClient a = http.connectWelcomed(ann); WsClient a2 = http.connectWelcomed(ann)) {
			JsonNode ack = a.request(Map.of("type", "private", "to", ann.id(), "text", "note to self"));
			for (WsClient ws : List.of(a, a2)) {
				assertThat(ws.next("private").path("id").asString()).isEqualTo(ack.path("id").asString());
				ws.expectNone("private", 200);
			}
		}
	}

	@Test
	void privateMessageToAnOfflineUserArrivesRightAfterTheirNextWelcome() {
		Guest ann = http.guest("Ann");
		Guest ben = http.guest("Ben");
		try (WsClient a = http.connectWelcomed(ann)) {
			a.request(Map.of("type", "private", "to", ben.id(), "text", "while you were out"));
			a.request(Map.of("type", "private", "to", ben.id(), "text", "and again"));
		}
		try (WsClient b = http.connect(ben)) {
			assertThat(b.next().path("type").asString()).isEqualTo("welcome");
			assertThat(b.next().path("text").asString()).isEqualTo("while you were out");
			assertThat(b.next().path("text").asString()).isEqualTo("and again");
		}
		try (WsClient b = http.connect(ben)) {
			b.next("welcome");
			b.expectNone("private", 500);
		}
	}

	@Test
	void privateConversationHistoryIsAvailableToBothSides() {
		Guest ann = http.guest("Ann");
		Guest ben = http.guest("Ben");
		try (WsClient a = http.connectWelcomed(ann); WsClient b = http.connectWelcomed(ben)) {
			a.request(Map.of("type", "private", "to", ben.id(), "text", "one"));
			b.request(Map.of("type", "private", "to", ann.id(), "text", "two"));
			JsonNode page = b.request(Map.of("type", "history", "with", ann.id()));
			assertThat(page.path("with").asString()).isEqualTo(ann.id());
			assertThat(page.path("messages").findValuesAsString("text")).containsExactly("one", "two");
		}
	}

	@Test
	void onlineAndOfflinePresenceFollowConnections() {
		Guest ann = http.guest("Ann");
		Guest ben = http.guest("Ben");
		try (WsClient a = http.connectWelcomed(ann)) {
			a.request(Map.of("type", "join", "room", room));
			try (WsClient b = http.connectWelcomed(ben)) {
				b.request(Map.of("type", "join", "room", room));
			}
			assertThat(a.next(f -> "offline".equals(f.path("event").asString()), "offline").path("user")
				.path("id")
				.asString()).isEqualTo(ben.id());
			try (WsClient b = http.connectWelcomed(ben)) {
				assertThat(a.next(f -> "online".equals(f.path("event").asString()), "online").path("user")
					.path("id")
					.asString()).isEqualTo(ben.id());
			}
		}
	}

	@Test
	void welcomeCountsUnreadMessagesSinceLastRead() {
		Guest ann = http.guest("Ann");
		Guest ben = http.guest("Ben");
		try (WsClient a = http.connectWelcomed(ann); WsClient b = http.connectWelcomed(ben)) {
			a.request(Map.of("type", "join", "room", room));
			b.request(Map.of("type", "join", "room", room));
		}
		try (WsClient b = http.connectWelcomed(ben)) {
			for (int i = 0; i < 3; i++) {
				b.request(Map.of("type", "message", "room", room, "text", "u" + i));
			}
		}
		try (WsClient a = http.connect(ann)) {
			JsonNode welcome = a.next("welcome");
			JsonNode summary = welcome.path("rooms").get(0);
			assertThat(summary.path("slug").asString()).isEqualTo(room);
			assertThat(summary.path("unread").asLong()).isEqualTo(3);
			assertThat(summary.path("open").asBoolean(false)).isTrue();
		}
	}

	@Test
	void joiningMarksWhatTheRoomAlreadyHeldAsRead() {
		Guest ann = http.guest("Ann");
		Guest ben = http.guest("Ben");
		try (WsClient b = http.connectWelcomed(ben)) {
			b.request(Map.of("type", "join", "room", room));
			b.request(Map.of("type", "message", "room", room, "text", "before Ann"));
			b.request(Map.of("type", "message", "room", room, "text", "also before Ann"));
			try (WsClient a = http.connectWelcomed(ann)) {
				assertThat(a.request(Map.of("type", "join", "room", room)).path("history")).hasSize(2);
			}
			b.request(Map.of("type", "message", "room", room, "text", "after Ann"));
		}
		try (WsClient a = http.connect(ann)) {
			assertThat(a.next("welcome").path("rooms").get(0).path("unread").asLong()).isEqualTo(1);
		}
	}

	@Test
	void repliesCarryTheFramesRef() {
		try (WsClient a = http.connectWelcomed(http.guest("Ann"))) {
			assertThat(a.request(Map.of("type", "join", "room", room)).path("type").asString()).isEqualTo("joined");
			assertThat(a.request(Map.of("type", "history", "room", room)).path("type").asString())
				.isEqualTo("history");
			assertThat(a.request(Map.of("type", "leave", "room", room)).path("type").asString()).isEqualTo("left");
			assertThat(a.request(Map.of("type", "nope")).path("type").asString()).isEqualTo("error");
		}
	}

	private static int compareIds(String a, String b) {
		String[] x = a.split("-");
		String[] y = b.split("-");
		int byTime = Long.compare(Long.parseLong(x[0]), Long.parseLong(y[0]));
		return byTime != 0 ? byTime : Long.compare(Long.parseLong(x[1]), Long.parseLong(y[1]));
	}

}
