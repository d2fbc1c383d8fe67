package dev.parley.admin;

import java.security.Principal;

import dev.parley.config.InputText;
import dev.parley.config.ParleyProperties;
import dev.parley.push.PushKeyStore;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import static dev.parley.admin.ConsoleFlash.PUSH_KEYS;

/** Push API keys from the console: the list; make one (shown once, on the page that follows) or revoke one. */
@Controller
class AdminPushKeyController {

	static final int NAME_MAX = 60;

	private final PushKeyStore keys;

	private final AuditLog audit;

	private final int configuredPushKeys;

	AdminPushKeyController(PushKeyStore keys, AuditLog audit, ParleyProperties properties) {
		this.keys = keys;
		this.audit = audit;
		this.configuredPushKeys = properties.push().keys().size();
	}

	@GetMapping("/admin/push-keys")
	String page(Model model) {
		model.addAttribute("pushKeys", keys.list());
		model.addAttribute("configuredPushKeys", configuredPushKeys);
		return "admin/push-keys";
	}

	@PostMapping("/admin/push-keys")
	String create(@RequestParam String name, Principal admin, RedirectAttributes result) {
		String cleanName = InputText.clean(name);
		if (cleanName.isEmpty() || cleanName.length() > NAME_MAX) {
			return PUSH_KEYS.refused(result, "A push API key needs a name of 1 to " + NAME_MAX + " characters.");
		}
		return keys.create(cleanName).map(made -> {
			result.addFlashAttribute("newKey", made.secret());
			audit.admin(admin.getName(), "create push key", cleanName, null);
			return PUSH_KEYS.done(result, "Push API key " + cleanName + " is ready. Copy it now: it is not shown again.");
		}).orElseGet(() -> PUSH_KEYS.refused(result, "There are " + PushKeyStore.MAX_KEYS + " keys already: revoke one first."));
	}

	@PostMapping("/admin/push-keys/{id}/revoke")
	String revoke(@PathVariable String id, Principal admin, RedirectAttributes result) {
		if (!keys.revoke(id)) {
			return PUSH_KEYS.refused(result, "There is no such push API key.");
		}
		audit.admin(admin.getName(), "revoke push key", id, null);
		return PUSH_KEYS.done(result, "The push API key was revoked: calls with it now get 401.");
	}

}
