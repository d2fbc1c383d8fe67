package dev.parley.admin;

import dev.parley.config.InputText;
import java.security.Principal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.parley.chat.ChatException;
import dev.parley.history.RedisHistoryStore;
import dev.parley.messaging.MessageChanges;
import dev.parley.room.Room;
import dev.parley.room.RoomService;
import dev.parley.user.User;
import dev.parley.user.UserService;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import static dev.parley.admin.ConsoleFlash.ROOMS;

/**
 * A room's page in the console: its recent messages, each of which an admin may delete (for every
 * member, live, as a moderator's delete), its moderators, who may delete any message in it from
 * the chat, its members a page at a time, each of whom may be removed, and the room's deletion. Every delete is audited with the admin's name, never with the message's text.
 */
@Controller
class AdminRoomMessagesController {

	/** How many of a room's latest messages the page lists. */
	static final int LISTED = 50;

	/** How many of a room's members a page lists. */
	static final int MEMBERS_LISTED = 100;

	/** A message as the page lists it. */
	record Listed(String id, String fromId, String fromName, String text, String when, boolean edited) {
	}

	private final RoomService rooms;

	private final RedisHistoryStore history;

	private final MessageChanges changes;

	private final UserService users;

	private final JsonMapper json;

	private final AuditLog audit;

	private final ModerationService moderation;

	AdminRoomMessagesController(RoomService rooms, RedisHistoryStore history, MessageChanges changes,
			UserService users, JsonMapper json, AuditLog audit, ModerationService moderation) {
		this.rooms = rooms;
		this.audit = audit;
		this.moderation = moderation;
		this.history = history;
		this.changes = changes;
		this.users = users;
		this.json = json;
	}

	@GetMapping("/admin/rooms/{slug}")
	String room(@PathVariable String slug, @RequestParam(defaultValue = "0") String members, Model model,
			RedirectAttributes result) {
		Room room = rooms.find(slug).orElse(null);
		if (room == null) {
			return ROOMS.refused(result, "There is no room " + slug + ".");
		}
		List<Listed> messages = new ArrayList<>(history.latest(slug, LISTED).stream().map(this::listed).toList());
		Collections.reverse(messages);
		model.addAttribute("room", room);
		model.addAttribute("messages", messages);
		model.addAttribute("moderators", rooms.moderators(slug).stream().sorted().toList());
		RoomService.MembersPage page = rooms.members(slug, members, MEMBERS_LISTED);
		model.addAttribute("members", page.ids());
		model.addAttribute("membersNext", "0".equals(page.next()) ? null : page.next());
		model.addAttribute("memberCount", rooms.memberCounts(List.of(slug)).get(0));
		Map<String, String> invited = new LinkedHashMap<>();
		rooms.invitations(slug).forEach((user, until) -> invited.put(user, ConsoleTimes.SECONDS.format(Instant.ofEpochMilli(until))));
		model.addAttribute("invitations", invited);
		return "admin/room";
	}

	@PostMapping("/admin/rooms/{slug}/invitations/{user}/withdraw")
	String withdrawInvitation(@PathVariable String slug, @PathVariable String user, Principal admin,
			RedirectAttributes result) {
		ConsoleFlash back = back(slug);
		if (!rooms.isInvited(user, slug)) {
			return back.refused(result, user + " holds no invitation to " + slug + ".");
		}
		rooms.uninvite(slug, user);
		audit.admin(admin.getName(), "withdraw invitation", user + " to " + slug, null);
		return back.done(result, user + "'s invitation to " + slug + " was withdrawn.");
	}

	@PostMapping("/admin/rooms/{slug}/members/{user}/remove")
	String removeMember(@PathVariable String slug, @PathVariable String user, @RequestParam(required = false) String reason,
			Principal admin, RedirectAttributes result) {
		ConsoleFlash back = back(slug);
		if (!rooms.isMember(user, slug)) {
			return back.refused(result, user + " is not a member of " + slug + ".");
		}
		String why = reason == null || reason.isBlank() ? null : reason;
		moderation.kick(user, slug, why);
		audit.admin(admin.getName(), "kick", user + " from " + slug, why);
		return back.done(result, user + " was removed from " + slug + ".");
	}

	@PostMapping("/admin/rooms/{slug}/delete")
	String deleteRoom(@PathVariable String slug, Principal admin, RedirectAttributes result) {
		if (RoomService.LOBBY.equals(slug)) {
			return back(slug).refused(result, "The lobby is where everyone starts: it cannot be deleted.");
		}
		if (rooms.find(slug).isEmpty()) {
			return ROOMS.refused(result, "There is no room " + slug + ".");
		}
		moderation.deleteRoom(slug);
		audit.admin(admin.getName(), "delete room", slug, null);
		return ROOMS.done(result, "Room " + slug + " was deleted with its history.");
	}

	@PostMapping("/admin/rooms/{slug}/messages/{id}/delete")
	String delete(@PathVariable String slug, @PathVariable String id, Principal admin, RedirectAttributes result) {
		ConsoleFlash back = back(slug);
		try {
			changes.deleteRoomMessage(slug, id, console(admin), true);
		}
		catch (ChatException ex) {
			return back.refused(result, "Not deleted: " + ex.getMessage() + ".");
		}
		audit.admin(admin.getName(), "delete message", slug + " " + id, null);
		return back.done(result, "The message was deleted for everyone.");
	}

	@PostMapping("/admin/rooms/{slug}/moderators")
	String addModerator(@PathVariable String slug, @RequestParam String user, Principal admin,
			RedirectAttributes result) {
		ConsoleFlash back = back(slug);
		String id = InputText.clean(user);
		User found = id.isEmpty() ? null : users.find(id).orElse(null);
		if (found == null) {
			return back.refused(result, "There is no user " + id + ".");
		}
		String userId = found.id();
		if (!rooms.addModerator(slug, userId)) {
			return back.refused(result, userId + " moderates " + slug + " already.");
		}
		audit.admin(admin.getName(), "add moderator", userId + " of " + slug, null);
		return back.done(result, userId + " may now delete any message in " + slug + ".");
	}

	@PostMapping("/admin/rooms/{slug}/moderators/{user}/remove")
	String removeModerator(@PathVariable String slug, @PathVariable String user, Principal admin,
			RedirectAttributes result) {
		ConsoleFlash back = back(slug);
		if (!rooms.removeModerator(slug, user)) {
			return back.refused(result, user + " does not moderate " + slug + ".");
		}
		audit.admin(admin.getName(), "remove moderator", user + " of " + slug, null);
		return back.done(result, user + " no longer moderates " + slug + ".");
	}

	/** Who a console delete is by, as members see it. */
	private static User console(Principal admin) {
		return User.member(admin.getName(), "Admins");
	}

	private static ConsoleFlash back(String slug) {
		return ConsoleFlash.to("/admin/rooms/" + slug);
	}

	private Listed listed(String message) {
		JsonNode node = json.readTree(message);
		return new Listed(node.path("id").asString(), node.path("from").path("id").asString(),
				node.path("from").path("name").asString(), node.path("text").asString(), ConsoleTimes.SECONDS.format(Instant.ofEpochMilli(node.path("ts").asLong())),
				node.has("edited"));
	}

}
