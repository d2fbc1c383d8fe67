package dev.parley.admin;

import java.security.Principal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.parley.room.RoomService;
import dev.parley.user.UserService;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import static dev.parley.admin.ConsoleFlash.MODERATION;

/**
 * The console's moderation page: remove from a room, ban, mute, and who is muted or banned. Every
 * action checks its input, reports what it did or why it did nothing, and goes back to the console
 * page it came from (a user's page, the live page), or to this one.
 */
@Controller
class AdminModerationController {

	/** A week: longer than that is a ban. */
	static final int MAX_MUTE_MINUTES = 7 * 24 * 60;

	/** The user reads it in a system message. */
	static final int MAX_MUTE_REASON = 200;

	private final ModerationService moderation;

	private final RoomService rooms;

	private final UserService users;

	private final AuditLog audit;

	AdminModerationController(ModerationService moderation, RoomService rooms, UserService users, AuditLog audit) {
		this.moderation = moderation;
		this.rooms = rooms;
		this.users = users;
		this.audit = audit;
	}

	/** {@code user} fills the forms in, as the live page's "Moderate" links do. */
	@GetMapping("/admin/moderation")
	String page(@RequestParam(required = false) String user, Model model) {
		model.addAttribute("user", user == null ? "" : UserService.normalize(user));
		model.addAttribute("rooms", rooms.all());
		model.addAttribute("banned", users.banned());
		Map<String, String> muted = new LinkedHashMap<>();
		moderation.muted().forEach((id, until) -> muted.put(id, ConsoleTimes.MINUTES.format(until)));
		model.addAttribute("muted", muted);
		return "admin/moderation";
	}

	@PostMapping("/admin/kick")
	String kick(@RequestParam String user, @RequestParam String room, @RequestParam(required = false) String reason,
			@RequestParam(required = false) String back, Principal admin,
			RedirectAttributes result) {
		String id = UserService.normalize(user);
		if (!rooms.isMember(id, room)) {
			return flash(back).refused(result, user + " is not a member of " + room + ".");
		}
		moderation.kick(id, room, blankToNull(reason));
		audit.admin(admin.getName(), "kick", id + " from " + room, blankToNull(reason));
		return flash(back).done(result, id + " was removed from " + room + ".");
	}

	@PostMapping("/admin/ban")
	String ban(@RequestParam String user, @RequestParam(required = false) String reason,
			@RequestParam(required = false) String back, Principal admin, RedirectAttributes result) {
		return users.find(user).map(found -> {
			moderation.ban(found.id(), blankToNull(reason));
			audit.admin(admin.getName(), "ban", found.id(), blankToNull(reason));
			return flash(back).done(result, found.id() + " is banned: their connections were closed and new ones are refused.");
		}).orElseGet(() -> flash(back).refused(result, "There is no user " + user + "."));
	}

	@PostMapping("/admin/unban")
	String unban(@RequestParam String user, @RequestParam(required = false) String back, Principal admin,
			RedirectAttributes result) {
		String id = UserService.normalize(user);
		if (!users.isBanned(id)) {
			return flash(back).refused(result, user + " is not banned.");
		}
		moderation.unban(id);
		audit.admin(admin.getName(), "unban", id, null);
		return flash(back).done(result, id + " may connect again.");
	}

	@PostMapping("/admin/mute")
	String mute(@RequestParam String user, @RequestParam(defaultValue = "0") int minutes,
			@RequestParam(required = false) String reason, @RequestParam(required = false) String back, Principal admin,
			RedirectAttributes result) {
		if (minutes < 1 || minutes > MAX_MUTE_MINUTES) {
			return flash(back).refused(result, "A mute lasts 1 to " + MAX_MUTE_MINUTES + " minutes.");
		}
		if (reason != null && reason.length() > MAX_MUTE_REASON) {
			return flash(back).refused(result, "A reason has at most " + MAX_MUTE_REASON + " characters.");
		}
		return users.find(user).map(found -> {
			Duration duration = Duration.ofMinutes(minutes);
			moderation.mute(found.id(), duration, blankToNull(reason));
			audit.admin(admin.getName(), "mute", found.id() + " for " + ModerationService.describe(duration),
					blankToNull(reason));
			return flash(back).done(result, found.id() + " is muted for " + ModerationService.describe(duration) + ".");
		}).orElseGet(() -> flash(back).refused(result, "There is no user " + user + "."));
	}

	@PostMapping("/admin/unmute")
	String unmute(@RequestParam String user, @RequestParam(required = false) String back, Principal admin,
			RedirectAttributes result) {
		String id = UserService.normalize(user);
		if (!moderation.unmute(id)) {
			return flash(back).refused(result, user + " is not muted.");
		}
		audit.admin(admin.getName(), "unmute", id, null);
		return flash(back).done(result, id + " may send messages again.");
	}

	private static ConsoleFlash flash(String back) {
		return ConsoleFlash.backTo(back, MODERATION);
	}

	private static String blankToNull(String text) {
		return text == null || text.isBlank() ? null : text;
	}

}
