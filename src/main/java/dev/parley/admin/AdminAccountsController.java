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

import static dev.parley.admin.ConsoleFlash.done;
import static dev.parley.admin.ConsoleFlash.refused;

/**
 * The console's accounts, for admins: the configured one (which stays), and those made here, each
 * an admin or a moderator, made and removed from this page.
 */
@Controller
class AdminAccountsController {

	private static final String PAGE = "redirect:/admin/accounts";

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
			return refused(result, "A console account's name is 3 to 32 of a-z, 0-9, '.', '_' and '-'.", PAGE);
		}
		if (!ConsoleAdmins.ADMIN.equals(role) && !ConsoleAdmins.MODERATOR.equals(role)) {
			return refused(result, "An account is an admin or a moderator.", PAGE);
		}
		if (password.length() < MIN_PASSWORD || password.length() > MAX_PASSWORD) {
			return refused(result, "A console password has " + MIN_PASSWORD + " to " + MAX_PASSWORD + " characters.",
					PAGE);
		}
		if (name.equals(configured.username()) || !accounts.add(name, role, password)) {
			return refused(result, "There is an account " + name + " already, or " + ConsoleAdmins.MAX
					+ " accounts: remove one first.", PAGE);
		}
		audit.admin(admin.getName(), "add " + role, name, null);
		return done(result, name + " may log in to the console now, as " + (ConsoleAdmins.ADMIN.equals(role)
				? "an admin." : "a moderator."), PAGE);
	}

	@PostMapping("/admin/accounts/{name}/remove")
	String remove(@PathVariable String name, Principal admin, RedirectAttributes result) {
		if (name.equals(admin.getName())) {
			return refused(result, "You cannot remove your own account.", PAGE);
		}
		if (!accounts.remove(name)) {
			return refused(result, "There is no account " + name + " to remove (the configured one stays).", PAGE);
		}
		audit.admin(admin.getName(), "remove account", name, null);
		return done(result, name + " can no longer log in; their open console pages are logged out.", PAGE);
	}

}
