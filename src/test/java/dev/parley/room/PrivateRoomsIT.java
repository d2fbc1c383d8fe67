package dev.parley.room;

import java.util.Map;

import dev.parley.support.ParleyHttp;
import dev.parley.support.ParleyHttp.Guest;
import dev.parley.support.ParleyInstance;
import dev.parley.support.TwoInstances;
import dev.parley.support.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Private rooms and invitations (the contract's "Rooms and people") over real sockets to two
 * instances on one Redis: a private room is not there for whoever was not invited, and an
 * invitation reaches the invited user on whichever instance they are connected to.
 */
class PrivateRoomsIT {

	@RegisterExtension
	static final TwoInstances instances = TwoInstances.withProperties();

	@Test
	void aPrivateRoomAnswersAsIfItDidNotExistToWhoeverWasNotInvited() {
		Guest owner = instances.a().http().guest("Owner");
		String room = privateRoom(instances.a(), owner, "secret");
		try (WsClient outsider = instances.b().http().connectWelcomed(instances.b().http().guest("Nosy"))) {
			assertThat(error(outsider.request(Map.of("type", "join", "room", room)))).isEqualTo("not_found");
			assertThat(error(outsider.request(Map.of("type", "message", "room", room, "text", "hi")))).isEqualTo("not_found");
			assertThat(error(outsider.request(Map.of("type", "invite", "room", room, "user", "nosy"))))
				.isEqualTo("not_found");
		}
		assertThat(instances.a().bean(RoomService.class).members(room)).containsExactly(owner.id());
	}

	@Test
	void theOwnerInvitesAUserWhoIsToldOnTheOtherInstanceAndMayJoinOnce() {
		Guest owner = instances.a().http().guest("Host");
		Guest guest = instances.b().http().guest("Visitor");
		String room = privateRoom(instances.a(), owner, "party");
		try (WsClient host = instances.a().http().connectWelcomed(owner);
				WsClient visitor = instances.b().http().connectWelcomed(guest)) {
			host.request(Map.of("type", "join", "room", room));

			JsonNode ack = host.request(Map.of("type", "invite", "room", room, "user", guest.id()));

			assertThat(ack.path("type").asString()).isEqualTo("ack");
			JsonNode invited = visitor.next("invited");
			assertThat(invited.path("room").path("slug").asString()).isEqualTo(room);
			assertThat(invited.path("room").path("name").asString()).isEqualTo("The party");
			assertThat(invited.path("room").path("private").asBoolean()).isTrue();
			assertThat(invited.path("room").path("members").asLong()).isEqualTo(1);
			assertThat(invited.path("by").path("id").asString()).isEqualTo(owner.id());

			assertThat(visitor.request(Map.of("type", "join", "room", room)).path("type").asString()).isEqualTo("joined");
			assertThat(host.next("presence").path("user").path("id").asString()).isEqualTo(guest.id());
			assertThat(error(host.request(Map.of("type", "invite", "room", room, "user", guest.id()))))
				.as("a member already").isEqualTo("bad_request");

			visitor.request(Map.of("type", "leave", "room", room));
			assertThat(error(visitor.request(Map.of("type", "join", "room", room))))
				.as("the invitation was used up").isEqualTo("not_found");
		}
	}

	@Test
	void onlyTheOwnerOrAModeratorInvitesAndTheInvitedUserMustExist() {
		Guest owner = instances.a().http().guest("Boss");
		Guest member = instances.a().http().guest("Member");
		String room = privateRoom(instances.a(), owner, "club");
		instances.a().bean(RoomService.class).join(member.id(), room);
		try (WsClient boss = instances.a().http().connectWelcomed(owner);
				WsClient plain = instances.b().http().connectWelcomed(member)) {
			plain.request(Map.of("type", "join", "room", room));
			assertThat(error(plain.request(Map.of("type", "invite", "room", room, "user", owner.id()))))
				.isEqualTo("forbidden");
			assertThat(error(boss.request(Map.of("type", "invite", "room", room, "user", "no-such-user"))))
				.isEqualTo("not_found");
			assertThat(error(boss.request(Map.of("type", "invite", "room", room)))).isEqualTo("bad_request");
			assertThat(error(boss.request(Map.of("type", "invite", "room", "no-such-room", "user", member.id()))))
				.isEqualTo("not_found");
		}
	}

	private static String privateRoom(ParleyInstance instance, Guest owner, String prefix) {
		String slug = prefix + "-" + System.nanoTime() % 1_000_000;
		assertThat(instance.http()
			.api(owner.token(), "/api/rooms", Map.of("slug", slug, "name", "The " + prefix, "private", true))
			.statusCode()).isEqualTo(201);
		return slug;
	}

	private static String error(JsonNode reply) {
		assertThat(reply.path("type").asString()).isEqualTo("error");
		return reply.path("code").asString();
	}

}
