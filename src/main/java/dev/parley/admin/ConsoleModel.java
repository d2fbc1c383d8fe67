package dev.parley.admin;

import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** What every console page knows of who is looking: whether they are an admin, or a moderator, who sees no admin-only form. */
@ControllerAdvice(basePackageClasses = ConsoleModel.class)
class ConsoleModel {

	@ModelAttribute("fullAdmin")
	boolean fullAdmin(Authentication authentication) {
		return authentication != null && authentication.getAuthorities()
			.stream()
			.anyMatch(authority -> ("ROLE_" + AdminAccount.ROLE).equals(authority.getAuthority()));
	}

}
