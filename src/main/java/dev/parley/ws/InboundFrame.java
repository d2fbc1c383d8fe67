package dev.parley.ws;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** Any client frame: one flat shape, since every field means the same thing in every type. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record InboundFrame(String type, String ref, String room, String text, String to, String since, String before,
		Integer limit, String id, String with, String after, List<String> files, String user) {

	/** Whether the frame carries files: a message or private message with them is handled off the event loop. */
	public boolean hasFiles() {
		return files != null && !files.isEmpty();
	}
}
