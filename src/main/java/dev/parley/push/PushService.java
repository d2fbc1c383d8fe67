package dev.parley.push;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import dev.parley.chat.ChatException;
import dev.parley.chat.ErrorCode;
import dev.parley.chat.ServerFrames;
import dev.parley.messaging.PubSubGateway;
import dev.parley.room.RoomService;
import dev.parley.user.UserService;
import tools.jackson.databind.JsonNode;

import org.springframework.stereotype.Service;

/**
 * Delivers {@code push} frames to a user, a room or everyone, through the same broker path as
 * chat: encoded once, published through Redis, written by each instance's hub. Delivery is
 * asynchronous and not stored.
 */
@Service
public class PushService {

	private final PubSubGateway gateway;

	private final ServerFrames frames;

	private final RoomService rooms;

	private final UserService users;

	public PushService(PubSubGateway gateway, ServerFrames frames, RoomService rooms, UserService users) {
		this.gateway = gateway;
		this.frames = frames;
		this.rooms = rooms;
		this.users = users;
	}

	@JsonInclude(Include.NON_NULL)
	record Push(String type, String room, String to, JsonNode data, long ts) {
	}

	public void toRoom(String slug, JsonNode data) {
		if (rooms.find(slug).isEmpty()) {
			throw new ChatException(ErrorCode.NOT_FOUND, "no room " + slug);
		}
		gateway.tellRoom(slug, null, encode(new Push("push", slug, null, data, now())));
	}

	public void toUser(String userId, JsonNode data) {
		String id = users.find(userId).orElseThrow(() -> new ChatException(ErrorCode.NOT_FOUND, "no user " + userId)).id();
		gateway.tellUser(id, encode(new Push("push", null, id, data, now())));
	}

	public void toEveryone(JsonNode data) {
		gateway.tellEveryone(encode(new Push("push", null, null, data, now())));
	}

	private String encode(Push push) {
		return frames.json(push);
	}

	private static long now() {
		return System.currentTimeMillis();
	}

}
