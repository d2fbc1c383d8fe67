package dev.parley.admin;

import java.security.Principal;

import dev.parley.config.InputText;
import dev.parley.room.Room;
import dev.parley.room.RoomService;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import static dev.parley.admin.ConsoleFlash.ROOMS;

/**
 * Rooms from the console: the list, each with its link to share; create, rename and retopic, close and reopen. Members of a room get
 * every change as a {@code room} frame, and a closing or reopening also as a system notice in the
 * room; closed, it refuses newcomers and messages.
 */
@Controller
class AdminRoomController {

	private final RoomService rooms;

	private final ModerationService moderation;

	private final AuditLog audit;

	AdminRoomController(RoomService rooms, ModerationService moderation, AuditLog audit) {
		this.rooms = rooms;
		this.moderation = moderation;
		this.audit = audit;
	}

	@GetMapping("/admin/rooms")
	String page(Model model) {
		model.addAttribute("rooms", rooms.all());
		model.addAttribute("chatBase", ServletUriComponentsBuilder.fromCurrentContextPath().toUriString());
		model.addAttribute("slugPattern", Room.SLUG_PATTERN.substring(1, Room.SLUG_PATTERN.length() - 1));
		model.addAttribute("nameMax", Room.NAME_MAX);
		model.addAttribute("topicMax", Room.TOPIC_MAX);
		return "admin/rooms";
	}

	@PostMapping("/admin/rooms")
	String create(@RequestParam String slug, @RequestParam String name, @RequestParam(required = false) String topic,
			Principal admin, RedirectAttributes result) {
		String cleanName = InputText.clean(name);
		String cleanTopic = InputText.clean(topic);
		if (!Room.isValidSlug(slug)) {
			return ROOMS.refused(result, Room.SLUG_RULE);
		}
		String problem = Room.problemWith(cleanName, cleanTopic);
		if (problem != null) {
			return ROOMS.refused(result, problem);
		}
		if (!rooms.createIfAbsent(slug, cleanName, cleanTopic)) {
			return ROOMS.refused(result, "There is a room " + slug + " already.");
		}
		audit.admin(admin.getName(), "create room", slug, null);
		return ROOMS.done(result, "Room " + slug + " is open.");
	}

	@PostMapping("/admin/rooms/{slug}")
	String edit(@PathVariable String slug, @RequestParam String name, @RequestParam(required = false) String topic,
			Principal admin, RedirectAttributes result) {
		String cleanName = InputText.clean(name);
		String cleanTopic = InputText.clean(topic);
		String problem = Room.problemWith(cleanName, cleanTopic);
		if (problem != null) {
			return ROOMS.refused(result, problem);
		}
		if (!rooms.edit(slug, cleanName, cleanTopic)) {
			return noSuchRoom(result, slug);
		}
		rooms.find(slug).ifPresent(moderation::roomChanged);
		audit.admin(admin.getName(), "edit room", slug, null);
		return ROOMS.done(result, "Room " + slug + " was saved.");
	}

	@PostMapping("/admin/rooms/{slug}/close")
	String close(@PathVariable String slug, Principal admin, RedirectAttributes result) {
		return setOpen(slug, false, admin, result);
	}

	@PostMapping("/admin/rooms/{slug}/open")
	String reopen(@PathVariable String slug, Principal admin, RedirectAttributes result) {
		return setOpen(slug, true, admin, result);
	}

	private String setOpen(String slug, boolean open, Principal admin, RedirectAttributes result) {
		Room room = rooms.find(slug).orElse(null);
		if (room == null) {
			return noSuchRoom(result, slug);
		}
		if (room.open() == open) {
			return ROOMS.refused(result, "Room " + slug + " is " + (open ? "open" : "closed") + " already.");
		}
		rooms.setOpen(slug, open);
		moderation.roomChanged(room.withOpen(open));
		moderation.announce(slug, open ? "This room is open again." : "This room is closed: no new messages.");
		audit.admin(admin.getName(), open ? "reopen room" : "close room", slug, null);
		return ROOMS.done(result, "Room " + slug + (open ? " is open again." : " is closed."));
	}

	private static String noSuchRoom(RedirectAttributes result, String slug) {
		return ROOMS.refused(result, "There is no room " + slug + ".");
	}

}
