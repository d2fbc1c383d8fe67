package dev.parley.chat;

import java.security.Principal;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;

import dev.parley.config.ParleyProperties;
import dev.parley.room.RoomService;
import dev.parley.user.UserService;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

@Controller
class ChatPageController {

	private final UserService users;

	private final RoomService rooms;

	/** The bot's username, which the page suggests mentioning; null when the bot is off. */
	private final String bot;

	private final int textLimit;

	private final long fileLimit;

	private final long heartbeatInterval;

	private final long heartbeatTimeout;

	private final boolean usersCreateRooms;

	private final int joinLimit;

	ChatPageController(UserService users, RoomService rooms, ParleyProperties properties) {
		this.users = users;
		this.rooms = rooms;
		this.bot = properties.bot().enabled() ? properties.bot().username() : null;
		this.textLimit = properties.limits().textLength();
		this.fileLimit = properties.files().maxSize().toBytes();
		this.heartbeatInterval = properties.ws().heartbeatInterval().toMillis();
		this.heartbeatTimeout = properties.ws().heartbeatTimeout().toMillis();
		this.usersCreateRooms = properties.rooms().usersCreate();
		this.joinLimit = properties.history().joinLimit();
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
		model.addAttribute("bot", bot);
		model.addAttribute("textLimit", textLimit);
		model.addAttribute("fileLimit", fileLimit);
		model.addAttribute("heartbeatInterval", heartbeatInterval);
		model.addAttribute("heartbeatTimeout", heartbeatTimeout);
		model.addAttribute("usersCreateRooms", usersCreateRooms);
		model.addAttribute("joinLimit", joinLimit);
		return "chat/index";
	}

	/**
	 * A room's shared link: the chat page, which joins that room and shows it; an unknown room shows
	 * the lobby, as does a private room to whoever is neither a member nor invited (its name stays unseen).
	 */
	@GetMapping("/rooms/{slug}")
	String room(@PathVariable String slug, Principal principal, Model model, HttpServletRequest request)
			throws ServletException {
		var room = rooms.find(slug).filter(found -> !found.privateRoom()
				|| rooms.isMember(principal.getName(), slug) || rooms.isInvited(principal.getName(), slug));
		if (room.isEmpty()) {
			return "redirect:/";
		}
		model.addAttribute("openRoom", room.get());
		return chat(principal, model, request);
	}

}
