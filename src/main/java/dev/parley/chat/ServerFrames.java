package dev.parley.chat;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import dev.parley.delivery.OutboundFrame;
import dev.parley.room.RoomListing;
import dev.parley.user.User;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.util.RawValue;

import org.springframework.stereotype.Component;

/**
 * The frames the server sends, as records, and their encoding. Stored messages are already JSON
 * and are embedded as raw values rather than parsed and encoded again.
 */
@Component
public class ServerFrames {

	private final JsonMapper json;

	public ServerFrames(JsonMapper json) {
		this.json = json;
	}

	/** A frame ready to write to connections of this instance. */
	public OutboundFrame encode(Object frame) {
		return new OutboundFrame(json(frame));
	}

	/** A frame's JSON, for publishing: each instance's hub makes the frame its connections write. */
	public String json(Object frame) {
		return json.writeValueAsString(frame);
	}

	public static List<RawValue> raw(List<String> messages) {
		return messages.stream().map(RawValue::new).toList();
	}

	/** {@code mentions}: unread messages that mention the user. {@code open} is Parley's: false while an admin has the room closed. */
	/** {@code topic} and {@code private} are Parley's, for the page's header and room list. */
	public record RoomSummary(String slug, String name, String topic, @JsonProperty("private") boolean privateRoom,
			long unread, long mentions, boolean open) {
	}

	public record Welcome(String type, User user, List<RoomSummary> rooms, String connection) {
		public Welcome(User user, List<RoomSummary> rooms, String connection) {
			this("welcome", user, rooms, connection);
		}
	}

	/**
	 * With {@code since}: {@code changes}, the edits and deletes made since then to messages up to
	 * it, and {@code more} (Parley's), true when the history goes on past this page.
	 * {@code moderator} (Parley's) is there, true, only for a moderator of the room, who may delete
	 * anyone's message in it: the page offers the delete then.
	 */
	@JsonInclude(Include.NON_NULL)
	public record Joined(String type, String room, String ref, List<User> members, long online,
			List<RawValue> history, List<RawValue> changes, Boolean more, Boolean moderator) {
		public Joined(String room, String ref, List<User> members, long online, List<RawValue> history,
				List<RawValue> changes, Boolean more, boolean moderator) {
			this("joined", room, ref, members, online, history, changes, more, moderator ? Boolean.TRUE : null);
		}
	}

	/** A page of a room's members online now; {@code next} the id to ask {@code after} for the next, null at the end. */
	@JsonInclude(Include.NON_NULL)
	public record Members(String type, String room, String ref, List<User> members, long online,
			@JsonInclude(Include.ALWAYS) String next) {
		public Members(String room, String ref, List<User> members, long online, String next) {
			this("members", room, ref, members, online, next);
		}
	}

	@JsonInclude(Include.NON_NULL)
	public record Left(String type, String room, String ref) {
		public Left(String room, String ref) {
			this("left", room, ref);
		}
	}

	@JsonInclude(Include.NON_NULL)
	public record Ack(String type, String ref, String id, long ts) {
		public Ack(String ref, String id, long ts) {
			this("ack", ref, id, ts);
		}
	}

	/**
	 * {@code with} is set instead of {@code room} for a private conversation's history; {@code more}
	 * (Parley's) for a page read {@code after} an id: true when the history goes on past it.
	 */
	@JsonInclude(Include.NON_NULL)
	public record History(String type, String room, String with, String ref, List<RawValue> messages, Boolean more) {
		public History(String room, String with, String ref, List<RawValue> messages, Boolean more) {
			this("history", room, with, ref, messages, more);
		}
	}

	/** In a room, or (Parley's) in a private conversation: {@code with} is then the typist's id, as the recipient sees it. */
	@JsonInclude(Include.NON_NULL)
	public record Typing(String type, String room, String with, User user) {
		public Typing(String room, User user) {
			this("typing", room, null, user);
		}

		public static Typing privately(User user) {
			return new Typing("typing", null, user.id(), user);
		}
	}

	public record Presence(String type, String room, String event, User user) {
		public Presence(String room, String event, User user) {
			this("presence", room, event, user);
		}
	}

	public record Kicked(String type, String room, String reason) {
		public Kicked(String room, String reason) {
			this("kicked", room, reason);
		}
	}

	/** The user may join the room now: {@code by} invited them. */
	public record Invited(String type, RoomListing room, User by) {
		public Invited(RoomListing room, User by) {
			this("invited", room, by);
		}
	}

	/** A room's name, topic or state changed: its members' pages show the new ones. */
	public record RoomChanged(String type, String room, String name, String topic, boolean open) {
		public RoomChanged(String room, String name, String topic, boolean open) {
			this("room", room, name, topic, open);
		}
	}

	/** {@code until} (Parley's): an announcement to everyone that newcomers are shown too, until then. */
	@JsonInclude(Include.NON_NULL)
	public record SystemNotice(String type, String room, String text, long ts, Long until) {
		public SystemNotice(String room, String text, long ts) {
			this("system", room, text, ts, null);
		}

		public static SystemNotice kept(String text, long ts, long until) {
			return new SystemNotice("system", null, text, ts, until);
		}
	}

	@JsonInclude(Include.NON_NULL)
	public record Error(String type, String code, String message, String ref) {
		public Error(ErrorCode code, String message, String ref) {
			this("error", code.wire(), message, ref);
		}
	}

	@JsonInclude(Include.NON_NULL)
	public record Pong(String type, String ref) {
		public Pong(String ref) {
			this("pong", ref);
		}
	}

}
