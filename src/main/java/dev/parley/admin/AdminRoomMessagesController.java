package dev.parley.admin;

import dev.parley.config.InputText;
import java.security.Principal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

import static dev.parley.admin.ConsoleFlash.done;
import static dev.parley.admin.ConsoleFlash.refused;

/**
 * A room's page in the console: its recent messages, each of which an admin may delete (for every
 * member, live, as a moderator's delete), and its moderators, who may delete any message in it
 * from the chat. Every delete is logged with the admin's name, never with the message's text.
 */
@Controller
class AdminRoomMessagesController {

	private static final Logger log = LoggerFactory.getLogger(AdminRoomMessagesController.class);

	/** How many of a room's latest messages the page lists. */
	static final int LISTED = 50;

	private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
		.withZone(ZoneOffset.UTC);

	/** A message as the page lists it. */
	record Listed(String id, String fromId, String fromName, String text, String when, boolean edited) {
	}

	private final RoomService rooms;

	private final RedisHistoryStore history;

	private final MessageChanges changes;

	private final UserService users;

	private final JsonMapper json;

	AdminRoomMessagesController(RoomService rooms, RedisHistoryStore history, MessageChanges changes,
			UserService users, JsonMapper json) {
		this.rooms = rooms;
		this.history = history;
		this.changes = changes;
		this.users = users;
		this.json = json;
	}

	@GetMapping("/admin/rooms/{slug}")
	String room(@PathVariable String slug, Model model, Principal admin, RedirectAttributes result) {
		Room room = rooms.find(slug).orElse(null);
		if (room == null) {
			return refused(result, "There is no room " + slug + ".");
		}
		List<Listed> messages = new ArrayList<>(history.latest(slug, LISTED).stream().map(this::listed).toList());
		Collections.reverse(messages);
		model.addAttribute("admin", admin.getName());
		model.addAttribute("room", room);
		model.addAttribute("messages", messages);
		model.addAttribute("moderators", rooms.moderators(slug).stream().sorted().toList());
		return "admin/room";
	}

	@PostMapping("/admin/rooms/{slug}/messages/{id}/delete")
	String delete(@PathVariable String slug, @PathVariable String id, Principal admin, RedirectAttributes result) {
		String back = back(slug);
		try {
			changes.deleteRoomMessage(slug, id, console(admin), true);
		}
		catch (ChatException ex) {
			return refused(result, "Not deleted: " + ex.getMessage() + ".", back);
		}
		log.info("Admin {} deleted message {} in room {}", admin.getName(), id, slug);
		return done(result, "The message was deleted for everyone.", back);
	}

	@PostMapping("/admin/rooms/{slug}/moderators")
	String addModerator(@PathVariable String slug, @RequestParam String user, Principal admin,
			RedirectAttributes result) {
		String back = back(slug);
		String id = InputText.clean(user);
		User found = id.isEmpty() ? null : users.find(id).orElse(null);
		if (found == null) {
			return refused(result, "There is no user " + id + ".", back);
		}
		String userId = found.id();
		if (!rooms.addModerator(slug, userId)) {
			return refused(result, userId + " moderates " + slug + " already.", back);
		}
		log.info("Admin {} made {} a moderator of room {}", admin.getName(), userId, slug);
		return done(result, userId + " may now delete any message in " + slug + ".", back);
	}

	@PostMapping("/admin/rooms/{slug}/moderators/{user}/remove")
	String removeModerator(@PathVariable String slug, @PathVariable String user, Principal admin,
			RedirectAttributes result) {
		String back = back(slug);
		if (!rooms.removeModerator(slug, user)) {
			return refused(result, user + " does not moderate " + slug + ".", back);
		}
		log.info("Admin {} removed {} as a moderator of room {}", admin.getName(), user, slug);
		return done(result, user + " no longer moderates " + slug + ".", back);
	}

	/** Who a console delete is by, as members see it. */
	private static User console(Principal admin) {
		return User.member(admin.getName(), "Admins");
	}

	private static String back(String slug) {
		return "redirect:/admin/rooms/" + slug;
	}

	private Listed listed(String message) {
		JsonNode node = json.readTree(message);
		return new Listed(node.path("id").asString(), node.path("from").path("id").asString(),
				node.path("from").path("name").asString(), node.path("text").asString(), WHEN.format(Instant.ofEpochMilli(node.path("ts").asLong())),
				node.has("edited"));
	}

}
