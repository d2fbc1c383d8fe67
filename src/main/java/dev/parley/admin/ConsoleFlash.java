package dev.parley.admin;

import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Every console action ends here: back to the dashboard (or the page it came from), which shows once what was done or refused. */
final class ConsoleFlash {

	private static final String BACK = "redirect:/admin";

	private ConsoleFlash() {
	}

	static String done(RedirectAttributes result, String message) {
		return done(result, message, BACK);
	}

	static String refused(RedirectAttributes result, String message) {
		return refused(result, message, BACK);
	}

	/** Back to {@code page} (a {@code redirect:} view name) instead of the dashboard. */
	static String done(RedirectAttributes result, String message, String page) {
		result.addFlashAttribute("notice", message);
		return page;
	}

	static String refused(RedirectAttributes result, String message, String page) {
		result.addFlashAttribute("problem", message);
		return page;
	}

}
