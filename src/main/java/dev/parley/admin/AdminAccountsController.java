package dev.parley.admin;

import java.security.Principal;
import java.util.regex.Pattern;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The console's accounts, for admins: the configured one (which stays), and those made here, each
 * an admin or a moderator, made and removed from this page.
 */
@Controller
class AdminAccountsController {

	private static final ConsoleFlash PAGE = ConsoleFlash.to("/admin/accounts");

	private static final Pattern NAME = Pattern.compile("[a-z0-9._-]{3,32}");

	private static final int MIN_PASSWORD = 12;

	private static final int MAX_PASSWORD = 128;

	private final AdminAccount configured;

	private final ConsoleAdmins accounts;

	private final AuditLog audit;

	AdminAccountsController(AdminAccount configured, ConsoleAdmins accounts, AuditLog audit) {
		this.configured = configured;
		this.accounts = accounts;
		this.audit = audit;
	}

	@GetMapping("/admin/accounts")
	String list(Model model) {
		model.addAttribute("configured", configured.username());
		model.addAttribute("accounts", accounts.all());
		model.addAttribute("minPassword", MIN_PASSWORD);
		return "admin/accounts";
	}

	@PostMapping("/admin/accounts")
	String add(@RequestParam String name, @RequestParam String password, @RequestParam String role, Principal admin,
			RedirectAttributes result) {
		if (!NAME.matcher(name).matches()) {
			return PAGE.refused(result, "A console account's name is 3 to 32 of a-z, 0-9, '.', '_' and '-'.");
		}
		if (!ConsoleAdmins.ADMIN.equals(role) && !ConsoleAdmins.MODERATOR.equals(role)) {
			return PAGE.refused(result, "An account is an admin or a moderator.");
		}
		if (password.length() < MIN_PASSWORD || password.length() > MAX_PASSWORD) {
			return PAGE.refused(result, "A console password has " + MIN_PASSWORD + " to " + MAX_PASSWORD + " characters.");
		}
		if (name.equals(configured.username()) || !accounts.add(name, role, password)) {
			return PAGE.refused(result, "There is an account " + name + " already, or " + ConsoleAdmins.MAX
					+ " accounts: remove one first.");
		}
		audit.admin(admin.getName(), "add " + role, name, null);
		return PAGE.done(result, name + " may log in to the console now, as " + (ConsoleAdmins.ADMIN.equals(role)
				? "an admin." : "a moderator."));
	}

	@PostMapping("/admin/accounts/{name}/remove")
	String remove(@PathVariable String name, Principal admin, RedirectAttributes result) {
		if (name.equals(admin.getName())) {
			return PAGE.refused(result, "You cannot remove your own account.");
		}
		if (!accounts.remove(name)) {
			return PAGE.refused(result, "There is no account " + name + " to remove (the configured one stays).");
		}
		audit.admin(admin.getName(), "remove account", name, null);
		return PAGE.done(result, name + " can no longer log in; their open console pages are logged out.");
	}

}
