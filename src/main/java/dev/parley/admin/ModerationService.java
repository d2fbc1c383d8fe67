package dev.parley.admin;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.parley.chat.MuteList;
import dev.parley.chat.PresenceEvents;
import dev.parley.chat.ServerFrames;
import dev.parley.config.ParleyProperties;
import dev.parley.messaging.PubSubGateway;
import dev.parley.room.Room;
import dev.parley.room.RoomService;
import dev.parley.user.UserService;

import org.springframework.stereotype.Service;

/**
 * Admin actions that reach a user's connections on every instance: each goes out on the user's
 * (or everyone's) Redis channel, and every instance applies it to its own connections.
 */
@Service
public class ModerationService {

	/** The close code for a banned user's connections. */
	public static final int BANNED = 1008;

	/** The close code for the connections of a user an admin deleted. */
	public static final int DELETED = 4005;

	/** The close code for the connections of a user whose password an admin reset. */
	public static final int SIGNED_OUT = 4004;

	/** The most UTF-8 bytes a close frame's reason holds. */
	private static final int MAX_CLOSE_REASON = 123;

	private final RoomService rooms;

	private final UserService users;

	private final PubSubGateway gateway;

	private final ServerFrames frames;

	private final PresenceEvents presenceEvents;

	private final MuteList mutes;

	private final Duration guestAddressBan;

	public ModerationService(RoomService rooms, UserService users, PubSubGateway gateway, ServerFrames frames,
			PresenceEvents presenceEvents, MuteList mutes, ParleyProperties properties) {
		this.mutes = mutes;
		this.guestAddressBan = properties.admin().guestAddressBan();
		this.rooms = rooms;
		this.users = users;
		this.gateway = gateway;
		this.frames = frames;
		this.presenceEvents = presenceEvents;
	}

	/** Ends the user's membership of the room: each of their connections gets {@code kicked} and stops receiving it. */
	public void kick(String userId, String slug, String reason) {
		boolean wasMember = rooms.leave(userId, slug);
		gateway.roomLeft(userId, slug, frames.json(new ServerFrames.Kicked(slug, reason)));
		if (wasMember) {
			users.find(userId).ifPresent(user -> presenceEvents.announce(user, List.of(slug), "leave"));
		}
	}

	/** Deletes the room with its history; each member's connections get {@code kicked} and stop receiving it. */
	public void deleteRoom(String slug) {
		String kicked = frames.json(new ServerFrames.Kicked(slug, "the room was deleted"));
		rooms.delete(slug).forEach(member -> gateway.roomLeft(member, slug, kicked));
	}

	/**
	 * Refuses the user's next handshakes (403, with the reason) and closes their open connections
	 * with {@value #BANNED}; a guest's address makes no new guest for {@code parley.admin.guest-address-ban}.
	 */
	public void ban(String userId, String reason) {
		String said = reason == null || reason.isBlank() ? UserService.NO_BAN_REASON : reason;
		users.ban(userId, said);
		if (!guestAddressBan.isZero()) {
			users.guestAddress(userId).ifPresent(address -> users.banAddress(address, said, guestAddressBan));
		}
		gateway.closeUser(userId, BANNED, closeReason(said));
	}

	/** A close frame's reason has room for 123 bytes of UTF-8: a longer one is cut at a character, never inside one. */
	private static String closeReason(String reason) {
		byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
		if (bytes.length <= MAX_CLOSE_REASON) {
			return reason;
		}
		int end = reason.length();
		while (reason.substring(0, end).getBytes(StandardCharsets.UTF_8).length > MAX_CLOSE_REASON) {
			end = reason.offsetByCodePoints(end, -1);
		}
		return reason.substring(0, end);
	}

	/** Deletes the user with all they own, and closes their connections with {@value #DELETED}. */
	public boolean delete(String userId) {
		if (!users.delete(userId)) {
			return false;
		}
		gateway.closeUser(userId, DELETED, "account deleted");
		return true;
	}

	/** Sets a registered user's password; their tokens, remember-me logins and connections end ({@value #SIGNED_OUT}). */
	public boolean resetPassword(String userId, String password) {
		if (!users.resetPassword(userId, password)) {
			return false;
		}
		gateway.closeUser(userId, SIGNED_OUT, "password reset");
		return true;
	}

	/** Ends the user's logins, sessions and connections ({@value #SIGNED_OUT}): they log in again to come back. */
	public void signOut(String userId) {
		users.signOutEverywhere(userId);
		gateway.closeUser(userId, SIGNED_OUT, "signed out by an admin");
	}

	public void unban(String userId) {
		users.unban(userId);
		users.guestAddress(userId).ifPresent(users::unbanAddress);
	}

	/** Refuses the user's messages for {@code duration}, and tells each of their connections why. */
	public void mute(String userId, Duration duration, String reason) {
		mutes.mute(userId, Instant.now().plus(duration));
		String text = "An admin muted you for " + describe(duration) + (reason == null ? "." : ": " + reason);
		gateway.tellUser(userId, systemFrame(null, text));
	}

	/** @return false when the user was not muted. */
	public boolean unmute(String userId) {
		if (!mutes.unmute(userId)) {
			return false;
		}
		gateway.tellUser(userId, systemFrame(null, "You may send messages again."));
		return true;
	}

	/** Every user muted now, with the time the mute ends, soonest first. */
	public Map<String, Instant> muted() {
		return mutes.muted();
	}

	static String describe(Duration duration) {
		long minutes = duration.toMinutes();
		if (minutes % 60 != 0) {
			return minutes == 1 ? "1 minute" : minutes + " minutes";
		}
		return minutes == 60 ? "1 hour" : minutes / 60 + " hours";
	}

	private String systemFrame(String slug, String text) {
		return frames.json(new ServerFrames.SystemNotice(slug, text, System.currentTimeMillis()));
	}

	/** Tells the room's members its name, topic and state as they are now. */
	public void roomChanged(Room room) {
		gateway.tellRoom(room.slug(), null,
				frames.json(new ServerFrames.RoomChanged(room.slug(), room.name(), room.topic(), room.open())));
	}

	/** A {@code system} frame to every connection, or to a room's members when {@code slug} is given. */
	public void announce(String slug, String text) {
		String json = systemFrame(slug, text);
		if (slug == null) {
			gateway.tellEveryone(json);
		}
		else {
			gateway.tellRoom(slug, null, json);
		}
	}

}
