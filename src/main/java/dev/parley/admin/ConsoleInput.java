package dev.parley.admin;

/** Text an admin typed into a console form, as it is kept. */
final class ConsoleInput {

	private ConsoleInput() {
	}

	/** Without surrounding blanks or control characters; empty for none. */
	static String clean(String text) {
		return text == null ? "" : text.strip().replaceAll("\\p{Cntrl}", "");
	}

}
