package dev.parley.user;

import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
class UserApiController {

	private final UserService users;

	private final UserDirectory directory;

	UserApiController(UserService users, UserDirectory directory) {
		this.users = users;
		this.directory = directory;
	}

	/**
	 * Anyone whose id or name starts with {@code q}, online or not, to start a private conversation
	 * with: people, not the bot or the admins' announcer, who read no private messages.
	 */
	@GetMapping("/api/users")
	List<User> search(@RequestParam(defaultValue = "") String q) {
		return users.findAll(directory.search(q)).stream().filter(user -> !user.bot()).toList();
	}

	record Created(User user) {
	}

	@PostMapping("/api/users")
	ResponseEntity<?> register(@Valid @RequestBody Registration registration, BindingResult errors) {
		if (errors.hasErrors()) {
			return ResponseEntity.badRequest().body(Map.of("error", errors.getAllErrors().get(0).getDefaultMessage()));
		}
		try {
			return ResponseEntity.status(HttpStatus.CREATED).body(new Created(users.register(registration)));
		}
		catch (UsernameTakenException ex) {
			return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("error", ex.getMessage()));
		}
	}

}
