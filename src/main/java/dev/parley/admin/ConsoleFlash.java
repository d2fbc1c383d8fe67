package dev.parley.admin;

import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Every console action ends here: back to the dashboard, which shows once what was done or refused. */
final class ConsoleFlash {

	private static final String BACK = "redirect:/admin";

	private ConsoleFlash() {
	}

	static String done(RedirectAttributes result, String message) {
		result.addFlashAttribute("notice", message);
		return BACK;
	}

	static String refused(RedirectAttributes result, String message) {
		result.addFlashAttribute("problem", message);
		return BACK;
	}

}
