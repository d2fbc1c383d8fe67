package dev.parley.user;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A chat user as every client sees it. {@code id} is the username; {@code bot} appears only when true.
 */
public record User(String id, String name, boolean guest,
		@JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean bot) {

	public static User member(String id, String name) {
		return new User(id, name, false, false);
	}

	public static User guest(String id, String name) {
		return new User(id, name, true, false);
	}

}
