package dev.parley.chat;

/**
 * A frame encoded once, shared by every recipient. {@code length} is the character count used to
 * bound send buffers.
 */
public record OutboundFrame(String json) {

	public int length() {
		return json.length();
	}

}
