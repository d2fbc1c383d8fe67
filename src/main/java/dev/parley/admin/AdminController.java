package dev.parley.admin;

import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.parley.chat.Announcements;
import dev.parley.chat.InstanceStats;
import dev.parley.config.ParleyProperties;
import dev.parley.presence.PresenceManager;
import dev.parley.push.PushKeyStore;
import dev.parley.room.Room;
import dev.parley.room.RoomService;
import dev.parley.user.User;
import dev.parley.user.UserService;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import static dev.parley.admin.ConsoleFlash.done;
import static dev.parley.admin.ConsoleFlash.refused;

/**
 * The admin console: who is online, the rooms, and the moderation actions. Every action checks its
 * input, reports what it did or why it did nothing, and redirects back (post/redirect/get).
 */
@Controller
class AdminController {

	/** Online users listed on the dashboard; the count above the list covers everyone. */
	static final int ONLINE_LISTED = 200;

	/** A week: longer than that is a ban. */
	static final int MAX_MUTE_MINUTES = 7 * 24 * 60;

	/** The user reads it in a system message. */
	static final int MAX_MUTE_REASON = 200;

	/** The longest an announcement to everyone is shown to newcomers: a week. */
	static final int MAX_KEEP_HOURS = 168;

	private static final DateTimeFormatter UNTIL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
		.withZone(ZoneOffset.UTC);

	private final ModerationService moderation;

	private final PresenceManager presence;

	private final RoomService rooms;

	private final UserService users;

	private final InstanceStats stats;

	private final PushKeyStore pushKeys;

	private final int configuredPushKeys;

	private final int maxText;

	private final Announcements announcements;

	private final JsonMapper json;

	private final AuditLog audit;

	AdminController(ModerationService moderation, PresenceManager presence, RoomService rooms, UserService users,
			InstanceStats stats, PushKeyStore pushKeys, Announcements announcements, JsonMapper json, AuditLog audit,
			ParleyProperties properties) {
		this.moderation = moderation;
		this.audit = audit;
		this.announcements = announcements;
		this.json = json;
		this.presence = presence;
		this.rooms = rooms;
		this.users = users;
		this.stats = stats;
		this.pushKeys = pushKeys;
		this.configuredPushKeys = properties.push().keys().size();
		this.maxText = properties.limits().textLength();
	}

	@GetMapping("/admin/login")
	String login() {
		return "admin/login";
	}

	@GetMapping("/admin")
	String dashboard(Model model, Principal admin) {
		model.addAttribute("admin", admin.getName());
		model.addAttribute("onlineCount", presence.onlineCount());
		model.addAttribute("online", presence.online(ONLINE_LISTED));
		model.addAttribute("rooms", rooms.all());
		model.addAttribute("banned", users.banned());
		Map<String, String> muted = new LinkedHashMap<>();
		moderation.muted().forEach((id, until) -> muted.put(id, UNTIL.format(until)));
		model.addAttribute("muted", muted);
		model.addAttribute("pushKeys", pushKeys.list());
		model.addAttribute("configuredPushKeys", configuredPushKeys);
		model.addAttribute("maxText", maxText);
		model.addAttribute("showing", announcements.showingNow().stream().map(this::showing).toList());
		model.addAttribute("chatBase", ServletUriComponentsBuilder.fromCurrentContextPath().toUriString());
		model.addAttribute("slugPattern", Room.SLUG_PATTERN.substring(1, Room.SLUG_PATTERN.length() - 1));
		model.addAttribute("nameMax", Room.NAME_MAX);
		model.addAttribute("topicMax", Room.TOPIC_MAX);
		return "admin/dashboard";
	}

	/**
	 * What the dashboard's live panel polls: users online (how many, and the first listed), and each
	 * instance's counters, to turn into rates.
	 */
	@GetMapping(path = "/admin/stats", produces = "application/json")
	@ResponseBody
	LiveNumbers stats() {
		return new LiveNumbers(presence.onlineCount(), presence.online(ONLINE_LISTED), stats.all(),
				System.currentTimeMillis());
	}

	record LiveNumbers(long online, List<User> users, List<InstanceStats.Numbers> instances, long at) {
	}

	/** An announcement to everyone still shown to newcomers, as the console lists it. */
	record Showing(String json, String text, String until) {
	}

	private Showing showing(String frame) {
		JsonNode notice = json.readTree(frame);
		return new Showing(frame, notice.path("text").asString(),
				UNTIL.format(Instant.ofEpochMilli(notice.path("until").asLong())));
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
			return refused(result, "An announcement needs 1 to " + maxText + " characters.");
		}
		if (keep < 0 || keep > MAX_KEEP_HOURS) {
			return refused(result, "An announcement is shown to newcomers for 0 to " + MAX_KEEP_HOURS + " hours.");
		}
		if (slug != null && rooms.find(slug).isEmpty()) {
			return refused(result, "There is no room " + slug + ".");
		}
		audit.admin(admin.getName(), "announce", slug == null ? "everyone" : slug, null);
		if (slug != null) {
			return done(result, announcements.toRoom(slug, text) == Announcements.Kept.KEPT
					? "Announced in " + slug + ", and kept in its history."
					: "Announced to those online in " + slug + " (a closed room keeps no new messages).");
		}
		announcements.toEveryone(text, Duration.ofHours(keep));
		return done(result, keep == 0 ? "Announced to everyone." : "Announced to everyone, and shown to newcomers for "
				+ keep + (keep == 1 ? " hour." : " hours."));
	}

	@PostMapping("/admin/announcements/withdraw")
	String withdraw(@RequestParam String announcement, Principal admin, RedirectAttributes result) {
		if (!announcements.withdraw(announcement)) {
			return refused(result, "That announcement is not shown any more.");
		}
		audit.admin(admin.getName(), "withdraw announcement", "everyone", null);
		return done(result, "Newcomers are not shown that announcement any more.");
	}

	@PostMapping("/admin/kick")
	String kick(@RequestParam String user, @RequestParam String room, @RequestParam(required = false) String reason,
			Principal admin, RedirectAttributes result) {
		String id = UserService.normalize(user);
		if (!rooms.isMember(id, room)) {
			return refused(result, user + " is not a member of " + room + ".");
		}
		moderation.kick(id, room, blankToNull(reason));
		audit.admin(admin.getName(), "kick", id + " from " + room, blankToNull(reason));
		return done(result, id + " was removed from " + room + ".");
	}

	@PostMapping("/admin/ban")
	String ban(@RequestParam String user, @RequestParam(required = false) String reason, Principal admin,
			RedirectAttributes result) {
		return users.find(user).map(found -> {
			moderation.ban(found.id(), blankToNull(reason));
			audit.admin(admin.getName(), "ban", found.id(), blankToNull(reason));
			return done(result, found.id() + " is banned: their connections were closed and new ones are refused.");
		}).orElseGet(() -> refused(result, "There is no user " + user + "."));
	}

	@PostMapping("/admin/unban")
	String unban(@RequestParam String user, Principal admin, RedirectAttributes result) {
		String id = UserService.normalize(user);
		if (!users.isBanned(id)) {
			return refused(result, user + " is not banned.");
		}
		moderation.unban(id);
		audit.admin(admin.getName(), "unban", id, null);
		return done(result, id + " may connect again.");
	}

	@PostMapping("/admin/mute")
	String mute(@RequestParam String user, @RequestParam(defaultValue = "0") int minutes,
			@RequestParam(required = false) String reason, Principal admin, RedirectAttributes result) {
		if (minutes < 1 || minutes > MAX_MUTE_MINUTES) {
			return refused(result, "A mute lasts 1 to " + MAX_MUTE_MINUTES + " minutes.");
		}
		if (reason != null && reason.length() > MAX_MUTE_REASON) {
			return refused(result, "A reason has at most " + MAX_MUTE_REASON + " characters.");
		}
		return users.find(user).map(found -> {
			Duration duration = Duration.ofMinutes(minutes);
			moderation.mute(found.id(), duration, blankToNull(reason));
			audit.admin(admin.getName(), "mute", found.id() + " for " + ModerationService.describe(duration),
					blankToNull(reason));
			return done(result, found.id() + " is muted for " + ModerationService.describe(duration) + ".");
		}).orElseGet(() -> refused(result, "There is no user " + user + "."));
	}

	@PostMapping("/admin/unmute")
	String unmute(@RequestParam String user, Principal admin, RedirectAttributes result) {
		String id = UserService.normalize(user);
		if (!moderation.unmute(id)) {
			return refused(result, user + " is not muted.");
		}
		audit.admin(admin.getName(), "unmute", id, null);
		return done(result, id + " may send messages again.");
	}

	private static String blankToNull(String text) {
		return text == null || text.isBlank() ? null : text;
	}

}
