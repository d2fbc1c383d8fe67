package dev.parley.user;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** What a new user sends to register, from the form or {@code POST /api/users}. */
public record Registration(
		@NotBlank(message = "username is required") @Pattern(regexp = UserService.USERNAME_PATTERN,
				message = "username must be 3 to 32 letters, digits, '.', '_' or '-'") String username,
		@NotBlank(message = "password is required") @Size(min = 8, max = 128,
				message = "password must be 8 to 128 characters") String password,
		@Size(max = 40, message = "display name must be at most 40 characters") String displayName) {

	public Registration() {
		this(null, null, null);
	}

}
