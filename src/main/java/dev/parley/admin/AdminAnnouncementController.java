package dev.parley.admin;

import java.security.Principal;
import java.time.Duration;
import java.time.Instant;

import dev.parley.chat.Announcements;
import dev.parley.config.ParleyProperties;
import dev.parley.room.RoomService;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import static dev.parley.admin.ConsoleFlash.ANNOUNCEMENTS;

/** The console's announcements page: announce to a room or to everyone, and withdraw what newcomers are still shown. */
@Controller
class AdminAnnouncementController {

	/** The longest an announcement to everyone is shown to newcomers: a week. */
	static final int MAX_KEEP_HOURS = 168;

	private final Announcements announcements;

	private final RoomService rooms;

	private final JsonMapper json;

	private final AuditLog audit;

	private final int maxText;

	AdminAnnouncementController(Announcements announcements, RoomService rooms, JsonMapper json, AuditLog audit,
			ParleyProperties properties) {
		this.announcements = announcements;
		this.rooms = rooms;
		this.json = json;
		this.audit = audit;
		this.maxText = properties.limits().textLength();
	}

	@GetMapping("/admin/announcements")
	String page(Model model) {
		model.addAttribute("rooms", rooms.all());
		model.addAttribute("maxText", maxText);
		model.addAttribute("showing", announcements.showingNow().stream().map(this::showing).toList());
		return "admin/announcements";
	}

	/** An announcement to everyone still shown to newcomers, as the console lists it. */
	record Showing(String json, String text, String until) {
	}

	private Showing showing(String frame) {
		JsonNode notice = json.readTree(frame);
		return new Showing(frame, notice.path("text").asString(),
				ConsoleTimes.MINUTES.format(Instant.ofEpochMilli(notice.path("until").asLong())));
	}

	/**
	 * In a room: kept in its history. To everyone: shown to newcomers too for {@code keep} hours
	 * (0: to those online only).
	 */
	@PostMapping("/admin/announce")
	String announce(@RequestParam String text, @RequestParam(required = false) String room,
			@RequestParam(defaultValue = "0") int keep, Principal admin, RedirectAttributes result) {
		String slug = room == null || room.isBlank() ? null : room;
		if (text.isBlank() || text.length() > maxText) {
			return ANNOUNCEMENTS.refused(result, "An announcement needs 1 to " + maxText + " characters.");
		}
		if (keep < 0 || keep > MAX_KEEP_HOURS) {
			return ANNOUNCEMENTS.refused(result, "An announcement is shown to newcomers for 0 to " + MAX_KEEP_HOURS + " hours.");
		}
		if (slug != null && rooms.find(slug).isEmpty()) {
			return ANNOUNCEMENTS.refused(result, "There is no room " + slug + ".");
		}
		audit.admin(admin.getName(), "announce", slug == null ? "everyone" : slug, null);
		if (slug != null) {
			return ANNOUNCEMENTS.done(result, announcements.toRoom(slug, text) == Announcements.Kept.KEPT
					? "Announced in " + slug + ", and kept in its history."
					: "Announced to those online in " + slug + " (a closed room keeps no new messages).");
		}
		announcements.toEveryone(text, Duration.ofHours(keep));
		return ANNOUNCEMENTS.done(result, keep == 0 ? "Announced to everyone." : "Announced to everyone, and shown to newcomers for "
				+ keep + (keep == 1 ? " hour." : " hours."));
	}

	@PostMapping("/admin/announcements/withdraw")
	String withdraw(@RequestParam String announcement, Principal admin, RedirectAttributes result) {
		if (!announcements.withdraw(announcement)) {
			return ANNOUNCEMENTS.refused(result, "That announcement is not shown any more.");
		}
		audit.admin(admin.getName(), "withdraw announcement", "everyone", null);
		return ANNOUNCEMENTS.done(result, "Newcomers are not shown that announcement any more.");
	}

}
