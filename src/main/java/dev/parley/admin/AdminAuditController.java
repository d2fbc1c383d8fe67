package dev.parley.admin;

import java.util.List;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The audit log in the console: the newest actions first, filtered by who, what and target, a page at a time. */
@Controller
class AdminAuditController {

	static final int PAGE = 50;

	private final AuditLog audit;

	AdminAuditController(AuditLog audit) {
		this.audit = audit;
	}

	/** An action as the page lists it. */
	record Listed(String id, String when, String by, String role, String action, String target, String reason) {
	}

	@GetMapping("/admin/audit")
	String audit(@RequestParam(required = false) String by, @RequestParam(required = false) String action,
			@RequestParam(required = false) String target, @RequestParam(required = false) String before,
			Model model) {
		List<AuditLog.Entry> entries = audit.newest(PAGE, blankToNull(before), by, action, target);
		model.addAttribute("entries", entries.stream()
			.map(entry -> new Listed(entry.id(), ConsoleTimes.SECONDS.format(entry.at()), entry.by(), entry.role(), entry.action(),
					entry.target(), entry.reason()))
			.toList());
		model.addAttribute("by", by == null ? "" : by);
		model.addAttribute("action", action == null ? "" : action);
		model.addAttribute("target", target == null ? "" : target);
		model.addAttribute("next", entries.size() == PAGE ? entries.get(entries.size() - 1).id() : null);
		return "admin/audit";
	}

	private static String blankToNull(String text) {
		return text == null || text.isBlank() ? null : text;
	}

}
