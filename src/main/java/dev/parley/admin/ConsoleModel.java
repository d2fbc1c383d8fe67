package dev.parley.admin;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** What every console page knows of who is looking: whether they are an admin, or a moderator, who sees no admin-only form. */
@ControllerAdvice(basePackageClasses = ConsoleModel.class)
class ConsoleModel {

	/** The account's name, which the layout shows with the console's menu; none on the login page. */
	@ModelAttribute("admin")
	String admin(Authentication authentication) {
		return authentication == null || authentication instanceof AnonymousAuthenticationToken ? null
				: authentication.getName();
	}

	@ModelAttribute("fullAdmin")
	boolean fullAdmin(Authentication authentication) {
		return authentication != null && authentication.getAuthorities()
			.stream()
			.anyMatch(authority -> ("ROLE_" + AdminAccount.ROLE).equals(authority.getAuthority()));
	}

}
