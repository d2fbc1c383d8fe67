package dev.parley.files;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A file's type, read from its first bytes (its magic number), never from its name or the type the
 * client claimed: a script named {@code cat.png} is not an image. Plain text is what decodes as
 * UTF-8 and holds no control characters but tabs and line breaks.
 */
final class FileType {

	/** How much of a file is read to call it text. */
	private static final int TEXT_SAMPLE = 8192;

	private FileType() {
	}

	static Optional<String> of(byte[] content) {
		if (starts(content, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
			return Optional.of("image/png");
		}
		if (starts(content, 0xFF, 0xD8, 0xFF)) {
			return Optional.of("image/jpeg");
		}
		if (starts(content, 'G', 'I', 'F', '8', '7', 'a') || starts(content, 'G', 'I', 'F', '8', '9', 'a')) {
			return Optional.of("image/gif");
		}
		if (starts(content, 'R', 'I', 'F', 'F') && content.length >= 12 && content[8] == 'W' && content[9] == 'E'
				&& content[10] == 'B' && content[11] == 'P') {
			return Optional.of("image/webp");
		}
		if (starts(content, '%', 'P', 'D', 'F', '-')) {
			return Optional.of("application/pdf");
		}
		return isText(content) ? Optional.of("text/plain") : Optional.empty();
	}

	static boolean isImage(String type) {
		return type.startsWith("image/");
	}

	private static boolean starts(byte[] content, int... magic) {
		if (content.length < magic.length) {
			return false;
		}
		for (int i = 0; i < magic.length; i++) {
			if ((content[i] & 0xFF) != magic[i]) {
				return false;
			}
		}
		return true;
	}

	private static boolean isText(byte[] content) {
		if (content.length == 0) {
			return false;
		}
		int length = Math.min(content.length, TEXT_SAMPLE);
		for (int i = 0; i < length; i++) {
			int b = content[i] & 0xFF;
			if (b < 0x20 && b != '\t' && b != '\n' && b != '\r' || b == 0x7F) {
				return false;
			}
		}
		// a sample cut inside a character is still text: up to three bytes of it are left out
		int end = length;
		if (length < content.length) {
			while (end > length - 4 && end > 0 && (content[end - 1] & 0xC0) == 0x80) {
				end--;
			}
			if (end > 0 && (content[end - 1] & 0x80) != 0) {
				end--;
			}
		}
		try {
			StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(content, 0, end));
			return true;
		}
		catch (CharacterCodingException ex) {
			return false;
		}
	}

}
