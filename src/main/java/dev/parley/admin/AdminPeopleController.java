package dev.parley.admin;

import java.security.Principal;
import java.time.Instant;
import java.util.List;

import dev.parley.presence.PresenceManager;
import dev.parley.room.RoomService;
import dev.parley.security.SessionIndex;
import dev.parley.user.User;
import dev.parley.user.UserDirectory;
import dev.parley.user.UserService;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * People in the console: every user, not only those online, found by the start of their id or
 * name or a page at a time; a user's page with their rooms and connections, and the actions on
 * them (ban, mute, reset the password of a registered user, delete).
 */
@Controller
class AdminPeopleController {

	static final int PAGE = 50;

	private static final ConsoleFlash PEOPLE = ConsoleFlash.to("/admin/people");

	private static final int MIN_PASSWORD = 8;

	private static final int MAX_PASSWORD = 128;

	private final UserService users;

	private final UserDirectory directory;

	private final RoomService rooms;

	private final PresenceManager presence;

	private final ModerationService moderation;

	private final AuditLog audit;

	private final SessionIndex sessions;

	AdminPeopleController(UserService users, UserDirectory directory, RoomService rooms, PresenceManager presence,
			ModerationService moderation, AuditLog audit, SessionIndex sessions) {
		this.sessions = sessions;
		this.users = users;
		this.directory = directory;
		this.rooms = rooms;
		this.presence = presence;
		this.moderation = moderation;
		this.audit = audit;
	}

	@GetMapping("/admin/people")
	String people(@RequestParam(defaultValue = "") String q, @RequestParam(defaultValue = "0") String page,
			Model model) {
		List<String> ids;
		String next = null;
		if (q.isBlank()) {
			UserDirectory.Page found = directory.all(page, PAGE);
			ids = found.ids();
			next = "0".equals(found.next()) ? null : found.next();
		}
		else {
			ids = directory.search(q);
		}
		model.addAttribute("q", q);
		model.addAttribute("people", users.findAll(ids));
		model.addAttribute("next", next);
		return "admin/people";
	}

	@GetMapping("/admin/people/{id}")
	String person(@PathVariable String id, Model model, RedirectAttributes result) {
		User user = users.find(id).orElse(null);
		if (user == null) {
			return PEOPLE.refused(result, "There is no user " + id + ".");
		}
		long created = users.createdAt(user.id());
		model.addAttribute("person", user);
		model.addAttribute("created", created == 0 ? "unknown" : ConsoleTimes.MINUTES.format(Instant.ofEpochMilli(created)));
		long seen = users.lastSeen(user.id());
		model.addAttribute("seen", seen == 0 ? "never" : ConsoleTimes.MINUTES.format(Instant.ofEpochMilli(seen)));
		model.addAttribute("rooms", rooms.roomsOf(user.id()).stream().sorted().toList());
		model.addAttribute("connections", presence.liveConnections(user.id()));
		model.addAttribute("sessions", sessions.of(user.id())
			.stream()
			.map(session -> new ListedSession(session.id(), ConsoleTimes.MINUTES.format(session.loggedIn()),
					ConsoleTimes.MINUTES.format(session.lastUsed())))
			.toList());
		boolean banned = users.isBanned(user.id());
		model.addAttribute("banned", banned);
		model.addAttribute("banReason", banned ? users.banReason(user.id()) : "");
		Instant mutedUntil = moderation.muted().get(user.id());
		model.addAttribute("mutedUntil", mutedUntil == null ? null : ConsoleTimes.MINUTES.format(mutedUntil));
		model.addAttribute("minPassword", MIN_PASSWORD);
		return "admin/person";
	}

	@PostMapping("/admin/people/{id}/delete")
	String delete(@PathVariable String id, Principal admin, RedirectAttributes result) {
		if (!moderation.delete(UserService.normalize(id))) {
			return PEOPLE.refused(result, "There is no user " + id + ".");
		}
		audit.admin(admin.getName(), "delete user", UserService.normalize(id), null);
		return PEOPLE.done(result, id + " was deleted, with their rooms' memberships, conversations and files.");
	}

	/** A browser session as a user's page lists it. */
	record ListedSession(String id, String loggedIn, String lastUsed) {
	}

	@PostMapping("/admin/people/{id}/sign-out")
	String signOut(@PathVariable String id, Principal admin, RedirectAttributes result) {
		String userId = UserService.normalize(id);
		if (users.find(userId).isEmpty()) {
			return PEOPLE.refused(result, "There is no user " + id + ".");
		}
		moderation.signOut(userId);
		audit.admin(admin.getName(), "sign out", userId, null);
		return person(userId).done(result,
				userId + " was signed out everywhere: sessions, remembered logins, tokens and connections.");
	}

	@PostMapping("/admin/people/{id}/password")
	String resetPassword(@PathVariable String id, @RequestParam String password, Principal admin,
			RedirectAttributes result) {
		ConsoleFlash page = person(UserService.normalize(id));
		if (password.length() < MIN_PASSWORD || password.length() > MAX_PASSWORD) {
			return page.refused(result, "A password has " + MIN_PASSWORD + " to " + MAX_PASSWORD + " characters.");
		}
		if (!moderation.resetPassword(UserService.normalize(id), password)) {
			return page.refused(result, "Only a registered user has a password to reset.");
		}
		audit.admin(admin.getName(), "reset password", UserService.normalize(id), null);
		return page.done(result, "The password was reset: their sessions, logins and connections were ended.");
	}

	private static ConsoleFlash person(String userId) {
		return ConsoleFlash.to("/admin/people/" + userId);
	}

}
