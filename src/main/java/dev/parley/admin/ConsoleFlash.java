package dev.parley.admin;

import java.util.regex.Pattern;

import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Every console action ends here: back to its page (post/redirect/get), which shows once what was
 * done or refused.
 *
 * @param page where to go back to, as a {@code redirect:} view name
 */
record ConsoleFlash(String page) {

	static final ConsoleFlash ROOMS = to("/admin/rooms");

	static final ConsoleFlash MODERATION = to("/admin/moderation");

	static final ConsoleFlash ANNOUNCEMENTS = to("/admin/announcements");

	static final ConsoleFlash PUSH_KEYS = to("/admin/push-keys");

	/**
	 * A console page a form may name to come back to: a path under /admin, nothing that leads
	 * elsewhere (no other host, no dot segment).
	 */
	private static final Pattern CONSOLE_PAGE = Pattern.compile("/admin(/(?!\\.\\.?(/|$))[A-Za-z0-9._~-]+)*");

	static ConsoleFlash to(String path) {
		return new ConsoleFlash("redirect:" + path);
	}

	/** Back to {@code path} when it is a console page, else to {@code otherwise}. */
	static ConsoleFlash backTo(String path, ConsoleFlash otherwise) {
		return path != null && CONSOLE_PAGE.matcher(path).matches() ? to(path) : otherwise;
	}

	String done(RedirectAttributes result, String message) {
		result.addFlashAttribute("notice", message);
		return page;
	}

	String refused(RedirectAttributes result, String message) {
		result.addFlashAttribute("problem", message);
		return page;
	}

}
