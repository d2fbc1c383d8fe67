package dev.parley.admin;

import java.util.List;

import dev.parley.chat.InstanceStats;
import dev.parley.presence.PresenceManager;
import dev.parley.user.User;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * The console's live page: who is online, this moment's numbers, and their charts over the last
 * hour. The other sections have pages of their own (rooms, moderation, announcements, push keys).
 */
@Controller
class AdminController {

	/** Online users listed on the live page; the count above the list covers everyone. */
	static final int ONLINE_LISTED = 200;

	private final PresenceManager presence;

	private final InstanceStats stats;

	private final StatsHistory history;

	AdminController(PresenceManager presence, InstanceStats stats, StatsHistory history) {
		this.presence = presence;
		this.stats = stats;
		this.history = history;
	}

	@GetMapping("/admin/login")
	String login() {
		return "admin/login";
	}

	@GetMapping("/admin")
	String live(Model model) {
		model.addAttribute("onlineCount", presence.onlineCount());
		model.addAttribute("online", presence.online(ONLINE_LISTED));
		return "admin/live";
	}

	/**
	 * What the live page polls: users online (how many, and the first listed), and each instance's
	 * counters, to turn into rates.
	 */
	@GetMapping(path = "/admin/stats", produces = "application/json")
	@ResponseBody
	LiveNumbers stats() {
		return new LiveNumbers(presence.onlineCount(), presence.online(ONLINE_LISTED), stats.all(),
				System.currentTimeMillis());
	}

	/** The charts' last hour, kept in Redis so that every admin sees the same. */
	@GetMapping(path = "/admin/stats/history", produces = "application/json")
	@ResponseBody
	StatsHistory.History statsHistory() {
		return history.read();
	}

	record LiveNumbers(long online, List<User> users, List<InstanceStats.Numbers> instances, long at) {
	}

}
