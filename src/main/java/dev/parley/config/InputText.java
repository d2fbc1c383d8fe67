package dev.parley.config;

/** Text a person typed into a form or sent to an API as a name or topic, as it is kept. */
public final class InputText {

	private InputText() {
	}

	/** Without surrounding blanks or control characters; empty for none. */
	public static String clean(String text) {
		return text == null ? "" : text.strip().replaceAll("\\p{Cntrl}", "");
	}

}
