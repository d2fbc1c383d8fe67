package dev.parley.user;

import java.util.Map;

import jakarta.validation.Valid;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
class UserApiController {

	private final UserService users;

	UserApiController(UserService users) {
		this.users = users;
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
