package dev.parley.admin;

import java.security.Principal;

import dev.parley.config.InputText;
import dev.parley.push.PushKeyStore;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import static dev.parley.admin.ConsoleFlash.done;
import static dev.parley.admin.ConsoleFlash.refused;

/** Push API keys from the console: make one (shown once, on the page that follows) or revoke one. */
@Controller
class AdminPushKeyController {

	static final int NAME_MAX = 60;

	private final PushKeyStore keys;

	private final AuditLog audit;

	AdminPushKeyController(PushKeyStore keys, AuditLog audit) {
		this.keys = keys;
		this.audit = audit;
	}

	@PostMapping("/admin/push-keys")
	String create(@RequestParam String name, Principal admin, RedirectAttributes result) {
		String cleanName = InputText.clean(name);
		if (cleanName.isEmpty() || cleanName.length() > NAME_MAX) {
			return refused(result, "A push API key needs a name of 1 to " + NAME_MAX + " characters.");
		}
		return keys.create(cleanName).map(made -> {
			result.addFlashAttribute("newKey", made.secret());
			audit.admin(admin.getName(), "create push key", cleanName, null);
			return done(result, "Push API key " + cleanName + " is ready. Copy it now: it is not shown again.");
		}).orElseGet(() -> refused(result, "There are " + PushKeyStore.MAX_KEYS + " keys already: revoke one first."));
	}

	@PostMapping("/admin/push-keys/{id}/revoke")
	String revoke(@PathVariable String id, Principal admin, RedirectAttributes result) {
		if (!keys.revoke(id)) {
			return refused(result, "There is no such push API key.");
		}
		audit.admin(admin.getName(), "revoke push key", id, null);
		return done(result, "The push API key was revoked: calls with it now get 401.");
	}

}
