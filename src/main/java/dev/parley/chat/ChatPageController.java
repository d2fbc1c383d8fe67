package dev.parley.chat;

import java.security.Principal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.ServletException;

import dev.parley.user.UserService;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

@Controller
class ChatPageController {

	private final UserService users;

	ChatPageController(UserService users) {
		this.users = users;
	}

	/** A session whose user no longer exists (an expired guest) is ended rather than shown a broken page. */
	@GetMapping("/")
	String chat(Principal principal, Model model, HttpServletRequest request) throws ServletException {
		var user = users.find(principal.getName());
		if (user.isEmpty()) {
			request.logout();
			return "redirect:/login";
		}
		model.addAttribute("user", user.get());
		return "chat/index";
	}

}
