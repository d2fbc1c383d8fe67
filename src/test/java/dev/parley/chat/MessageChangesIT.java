package dev.parley.chat;

import java.util.List;
import java.util.Map;

import dev.parley.config.RedisKeys;
import dev.parley.support.ParleyHttp.Guest;
import dev.parley.support.ParleyInstance;
import dev.parley.support.TwoInstances;
import dev.parley.support.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Editing and deleting messages (the contract's "Editing and deleting messages") and mentions,
 * over real sockets to two instances on one Redis: the events reach every connection that got the
 * message, on either instance, and history, {@code joined.changes} and offline delivery show each
 * message as it is now.
 */
class MessageChangesIT {

	@RegisterExtension
	static final TwoInstances instances = TwoInstances.withProperties();

	@Test
	void anEditByTheAuthorReachesEveryMemberOnBothInstancesAndHistoryShowsTheNewText() {
		String room = instances.a().newRoom("edit");
		Guest annGuest = instances.a().http().guest("Ann");
		try (WsClient ann = member(instances.a(), room, annGuest); WsClient ben = member(instances.b(), room, "Ben")) {
			String id = send(ann, room, "helo");
			ben.next("message");

			JsonNode ack = ann.request(Map.of("type", "edit", "room", room, "id", id, "text", "hello"));

			assertThat(ack.path("type").asString()).isEqualTo("ack");
			assertThat(ack.path("id").asString()).isEqualTo(id);
			for (WsClient receiver : List.of(ann, ben)) {
				JsonNode edited = receiver.next("edited");
				assertThat(edited.path("room").asString()).isEqualTo(room);
				assertThat(edited.path("id").asString()).isEqualTo(id);
				assertThat(edited.path("text").asString()).isEqualTo("hello");
				assertThat(edited.path("edited").asLong()).isEqualTo(ack.path("ts").asLong());
				assertThat(edited.path("by").path("id").asString()).isEqualTo(annGuest.id());
				assertThat(edited.has("with")).isFalse();
			}
			JsonNode message = ben.request(Map.of("type", "history", "room", room)).path("messages").get(0);
			assertThat(message.path("text").asString()).isEqualTo("hello");
			assertThat(message.path("edited").asLong()).isEqualTo(ack.path("ts").asLong());
			assertThat(message.path("ts").asLong()).isLessThanOrEqualTo(ack.path("ts").asLong());
			assertThat(ben.request(Map.of("type", "join", "room", room)).path("history").get(0).path("text").asString())
				.isEqualTo("hello");
		}
	}

	@Test
	void onlyTheAuthorMayEditAndAnUnknownIdIsNotFoundLeavingTheMessageAsItWas() {
		String room = instances.a().newRoom("noedit");
		try (WsClient ann = member(instances.a(), room, "Ann"); WsClient ben = member(instances.b(), room, "Ben")) {
			String id = send(ann, room, "mine");

			assertThat(code(ben.request(Map.of("type", "edit", "room", room, "id", id, "text", "yours")))).isEqualTo("forbidden");
			assertThat(code(ben.request(Map.of("type", "delete", "room", room, "id", id)))).isEqualTo("forbidden");
			assertThat(code(ann.request(Map.of("type", "edit", "room", room, "id", "1-1", "text", "x")))).isEqualTo("not_found");
			assertThat(code(ann.request(Map.of("type", "edit", "room", room, "id", "nonsense", "text", "x")))).isEqualTo("bad_request");
			assertThat(code(ann.request(Map.of("type", "edit", "room", room, "text", "x")))).isEqualTo("bad_request");
			assertThat(code(ann.request(Map.of("type", "edit", "room", room, "id", id, "text", " ")))).isEqualTo("bad_request");
			assertThat(code(ann.request(Map.of("type", "edit", "room", room, "id", id, "text", "x".repeat(4001)))))
				.isEqualTo("too_large");
			assertThat(code(ann.request(Map.of("type", "edit", "room", "elsewhere", "id", id, "text", "x")))).isEqualTo("not_found");
			assertThat(code(ann.request(Map.of("type", "edit", "with", "nobody-here", "id", id, "text", "x")))).isEqualTo("not_found");

			ben.expectNone("edited", 300);
			JsonNode message = ann.request(Map.of("type", "history", "room", room)).path("messages").get(0);
			assertThat(message.path("text").asString()).isEqualTo("mine");
			assertThat(message.has("edited")).isFalse();
		}
	}

	@Test
	void aDeleteByTheAuthorReachesEveryoneAndTheMessageIsGoneFromHistoryAndCounts() {
		String room = instances.a().newRoom("delete");
		Guest annGuest = instances.a().http().guest("Ann");
		try (WsClient ann = member(instances.a(), room, annGuest); WsClient ben = member(instances.b(), room, "Ben")) {
			String kept = send(ann, room, "kept");
			String gone = send(ann, room, "oops");

			JsonNode ack = ann.request(Map.of("type", "delete", "room", room, "id", gone));

			assertThat(ack.path("type").asString()).isEqualTo("ack");
			for (WsClient receiver : List.of(ann, ben)) {
				JsonNode deleted = receiver.next("deleted");
				assertThat(deleted.path("id").asString()).isEqualTo(gone);
				assertThat(deleted.path("room").asString()).isEqualTo(room);
				assertThat(deleted.path("by").path("id").asString()).isEqualTo(annGuest.id());
			}
			assertThat(ids(ben.request(Map.of("type", "history", "room", room)).path("messages"))).containsExactly(kept);
			assertThat(code(ann.request(Map.of("type", "edit", "room", room, "id", gone, "text", "back")))).isEqualTo("not_found");
			assertThat(code(ann.request(Map.of("type", "delete", "room", room, "id", gone)))).isEqualTo("not_found");
		}
	}

	@Test
	void aModeratorOfTheRoomIsToldSoOnJoiningAndMayDeleteAnyonesMessageButNotEditIt() {
		String room = instances.a().newRoom("moderated");
		Guest modGuest = instances.b().http().guest("Mod");
		try (WsClient ann = member(instances.a(), room, "Ann"); WsClient mod = member(instances.b(), room, modGuest)) {
			redis().opsForSet().add(RedisKeys.roomModerators(room), modGuest.id());
			assertThat(mod.request(Map.of("type", "join", "room", room)).path("moderator").asBoolean()).isTrue();
			assertThat(ann.request(Map.of("type", "join", "room", room)).has("moderator")).isFalse();
			String id = send(ann, room, "spam");

			assertThat(code(mod.request(Map.of("type", "edit", "room", room, "id", id, "text", "ham")))).isEqualTo("forbidden");
			assertThat(mod.request(Map.of("type", "delete", "room", room, "id", id)).path("type").asString()).isEqualTo("ack");

			assertThat(ann.next("deleted").path("by").path("id").asString()).isEqualTo(modGuest.id());
			assertThat(ann.request(Map.of("type", "history", "room", room)).path("messages")).isEmpty();
		}
	}

	@Test
	void aClientResumingWithSinceGetsTheChangesMadeMeanwhileToTheMessagesItHolds() {
		String room = instances.a().newRoom("resume");
		try (WsClient ann = member(instances.a(), room, "Ann")) {
			String first = send(ann, room, "first");
			String second = send(ann, room, "second");
			// Ben held both and went away
			Guest ben = instances.b().http().guest("Ben");
			try (WsClient away = instances.b().http().connectWelcomed(ben)) {
				away.request(Map.of("type", "join", "room", room));
			}
			String earlierEdit = ann.request(Map.of("type", "edit", "room", room, "id", first, "text", "first!"))
				.path("ts").asString();
			ann.request(Map.of("type", "delete", "room", room, "id", second));
			String third = send(ann, room, "third");
			ann.request(Map.of("type", "edit", "room", room, "id", third, "text", "third!"));
			ann.request(Map.of("type", "edit", "room", room, "id", first, "text", "first!!"));

			try (WsClient back = instances.b().http().connectWelcomed(ben)) {
				JsonNode joined = back.request(Map.of("type", "join", "room", room, "since", second));

				JsonNode history = joined.path("history");
				assertThat(ids(history)).containsExactly(third);
				assertThat(history.get(0).path("text").asString()).isEqualTo("third!");
				// the edit of a message after since is in the message itself, not among the changes
				JsonNode changes = joined.path("changes");
				assertThat(changes).hasSize(3);
				assertThat(changes.get(0).path("type").asString()).isEqualTo("edited");
				assertThat(changes.get(0).path("id").asString()).isEqualTo(first);
				assertThat(changes.get(0).path("edited").asString()).isEqualTo(earlierEdit);
				assertThat(changes.get(1).path("type").asString()).isEqualTo("deleted");
				assertThat(changes.get(1).path("id").asString()).isEqualTo(second);
				assertThat(changes.get(2).path("text").asString()).isEqualTo("first!!");
			}
			try (WsClient fresh = instances.a().http().connectWelcomed(ben)) {
				assertThat(fresh.request(Map.of("type", "join", "room", room)).has("changes")).isFalse();
			}
		}
	}

	@Test
	void aPrivateEditAndDeleteReachEveryDeviceOfBothUsersNamingTheOtherAsWith() {
		Guest ann = instances.a().http().guest("Ann");
		Guest ben = instances.b().http().guest("Ben");
		try (WsClient annOnA = instances.a().http().connectWelcomed(ann);
				WsClient annOnB = instances.b().http().connectWelcomed(ann);
				WsClient benOnB = instances.b().http().connectWelcomed(ben)) {
			String id = annOnA.request(Map.of("type", "private", "to", ben.id(), "text", "psst")).path("id").asString();
			benOnB.next("private");

			assertThat(code(benOnB.request(Map.of("type", "edit", "with", ann.id(), "id", id, "text", "no")))).isEqualTo("forbidden");
			assertThat(code(benOnB.request(Map.of("type", "delete", "with", ann.id(), "id", id)))).isEqualTo("forbidden");
			annOnA.request(Map.of("type", "edit", "with", ben.id(), "id", id, "text", "psst!"));

			JsonNode toBen = benOnB.next("edited");
			assertThat(toBen.path("with").asString()).isEqualTo(ann.id());
			assertThat(toBen.path("text").asString()).isEqualTo("psst!");
			assertThat(toBen.has("room")).isFalse();
			for (WsClient annDevice : List.of(annOnA, annOnB)) {
				assertThat(annDevice.next("edited").path("with").asString()).isEqualTo(ben.id());
			}
			JsonNode history = benOnB.request(Map.of("type", "history", "with", ann.id())).path("messages");
			assertThat(history.get(0).path("text").asString()).isEqualTo("psst!");
			assertThat(history.get(0).has("edited")).isTrue();

			annOnB.request(Map.of("type", "delete", "with", ben.id(), "id", id));
			assertThat(benOnB.next("deleted").path("with").asString()).isEqualTo(ann.id());
			assertThat(annOnA.next("deleted").path("id").asString()).isEqualTo(id);
			assertThat(benOnB.request(Map.of("type", "history", "with", ann.id())).path("messages")).isEmpty();
		}
	}

	@Test
	void offlineDeliveryShowsAnEditedPrivateMessageAsItIsNowAndLeavesADeletedOneOut() {
		Guest ann = instances.a().http().guest("Ann");
		Guest ben = instances.b().http().guest("Ben");
		String kept;
		try (WsClient annOnA = instances.a().http().connectWelcomed(ann)) {
			kept = annOnA.request(Map.of("type", "private", "to", ben.id(), "text", "see you at 5")).path("id")
				.asString();
			String gone = annOnA.request(Map.of("type", "private", "to", ben.id(), "text", "wrong person")).path("id")
				.asString();
			annOnA.request(Map.of("type", "private", "to", ben.id(), "text", "bye"));
			annOnA.request(Map.of("type", "edit", "with", ben.id(), "id", kept, "text", "see you at 6"));
			annOnA.request(Map.of("type", "delete", "with", ben.id(), "id", gone));
		}
		try (WsClient benOnB = instances.b().http().connect(ben)) {
			benOnB.next("welcome");
			JsonNode first = benOnB.next("private");
			assertThat(first.path("id").asString()).isEqualTo(kept);
			assertThat(first.path("text").asString()).isEqualTo("see you at 6");
			assertThat(first.has("edited")).isTrue();
			assertThat(benOnB.next("private").path("text").asString()).isEqualTo("bye");
			benOnB.expectNone("private", 300);
		}
	}

	@Test
	void aRoomMessageCarriesTheMembersItMentionsAndTheWelcomeCountsUnreadMentionsAsTheMessagesAreNow() {
		String room = instances.a().newRoom("mentions");
		Guest cat = instances.a().http().guest("Cat");
		try (WsClient catOnA = instances.a().http().connectWelcomed(cat)) {
			catOnA.request(Map.of("type", "join", "room", room));
		}
		Guest benGuest = instances.b().http().guest("Ben");
		try (WsClient ann = member(instances.a(), room, "Ann"); WsClient ben = member(instances.b(), room, benGuest)) {
			ann.request(Map.of("type", "message", "room", room, "text",
					"@" + cat.id().toUpperCase() + ", @" + benGuest.id() + ". and @nobody"));
			JsonNode message = ben.next("message");
			assertThat(message.path("mentions").valueStream().map(JsonNode::asString)).containsExactly(cat.id(),
					benGuest.id());
			ann.request(Map.of("type", "message", "room", room, "text", "no one here, mail@" + cat.id()));
			assertThat(ben.next("message").has("mentions")).isFalse();
			String id = send(ann, room, "later");
			ann.request(Map.of("type", "edit", "room", room, "id", id, "text", "later, @" + cat.id()));
			assertThat(ben.next("edited").path("mentions").get(0).asString()).isEqualTo(cat.id());
		}
		try (WsClient catBack = instances.b().http().connect(cat)) {
			JsonNode summary = catBack.next("welcome").path("rooms").get(0);
			assertThat(summary.path("unread").asLong()).isEqualTo(3);
			assertThat(summary.path("mentions").asLong()).as("the first message, and the one an edit made mention Cat")
				.isEqualTo(2);
		}
	}

	private static WsClient member(ParleyInstance instance, String room, String name) {
		return member(instance, room, instance.http().guest(name));
	}

	private static WsClient member(ParleyInstance instance, String room, Guest guest) {
		WsClient client = instance.http().connectWelcomed(guest);
		client.request(Map.of("type", "join", "room", room));
		return client;
	}

	private static String send(WsClient client, String room, String text) {
		return client.request(Map.of("type", "message", "room", room, "text", text)).path("id").asString();
	}

	private static String code(JsonNode reply) {
		assertThat(reply.path("type").asString()).isEqualTo("error");
		return reply.path("code").asString();
	}

	private static List<String> ids(JsonNode messages) {
		return messages.valueStream().map(message -> message.path("id").asString()).toList();
	}

	private static StringRedisTemplate redis() {
		return instances.a().bean(StringRedisTemplate.class);
	}

}
