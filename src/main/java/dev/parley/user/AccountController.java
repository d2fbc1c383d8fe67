package dev.parley.user;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;

import dev.parley.config.ParleyProperties;
import dev.parley.security.LandingPage;
import dev.parley.security.WebLogin;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The login, registration and "join as guest" pages. */
@Controller
class AccountController {

	private final UserService users;

	private final WebLogin webLogin;

	private final boolean guestEnabled;

	AccountController(UserService users, WebLogin webLogin, ParleyProperties properties) {
		this.users = users;
		this.webLogin = webLogin;
		this.guestEnabled = properties.auth().guestEnabled();
	}

	@ModelAttribute("guestEnabled")
	boolean guestEnabled() {
		return guestEnabled;
	}

	@GetMapping("/login")
	String login() {
		return "user/login";
	}

	@GetMapping("/register")
	String registerForm(Model model) {
		model.addAttribute("registration", new Registration());
		return "user/register";
	}

	@PostMapping("/register")
	String register(@Valid @ModelAttribute("registration") Registration registration, BindingResult errors,
			HttpServletRequest request, HttpServletResponse response) {
		if (errors.hasErrors()) {
			return "user/register";
		}
		try {
			User user = users.register(registration);
			webLogin.logIn(user.id(), false, request, response);
			return "redirect:" + LandingPage.path(request, response);
		}
		catch (UsernameTakenException ex) {
			errors.rejectValue("username", "taken", ex.getMessage());
			return "user/register";
		}
	}

	/** A guest stays remembered by a remember-me cookie: a random series, never a password. */
	@PostMapping("/guest")
	String guest(@RequestParam(name = "name", required = false) String name, HttpServletRequest request,
			HttpServletResponse response) {
		if (!guestEnabled) {
			return "redirect:/login?guestDisabled";
		}
		if (users.addressBan(request.getRemoteAddr()).isPresent()) {
			return "redirect:/login?guestBanned";
		}
		User user = users.createGuest(name, request.getRemoteAddr());
		webLogin.logIn(user.id(), true, request, response);
		return "redirect:" + LandingPage.path(request, response);
	}

}
