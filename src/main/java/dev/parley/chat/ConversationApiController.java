package dev.parley.chat;

import java.security.Principal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.parley.history.RedisHistoryStore.Conversation;
import dev.parley.history.RedisHistoryStore;
import dev.parley.user.User;
import dev.parley.user.UserService;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The signed-in user's private conversations, newest first, so that the chat page lists them on every visit. */
@RestController
class ConversationApiController {

	private static final int LIMIT = 50;

	private final RedisHistoryStore history;

	private final UserService users;

	ConversationApiController(RedisHistoryStore history, UserService users) {
		this.history = history;
		this.users = users;
	}

	record ConversationSummary(User with, long last) {
	}

	@GetMapping("/api/conversations")
	List<ConversationSummary> conversations(Principal principal) {
		List<Conversation> recent = history.recentConversations(principal.getName(), LIMIT);
		Map<String, User> found = new HashMap<>();
		users.findAll(recent.stream().map(Conversation::with).toList()).forEach(user -> found.put(user.id(), user));
		return recent.stream()
			.filter(conversation -> found.containsKey(conversation.with()))
			.map(conversation -> new ConversationSummary(found.get(conversation.with()), conversation.last()))
			.toList();
	}

}
