package dev.parley.files;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FileTypeTest {

	@Test
	void imagesAndPdfAreKnownByTheirFirstBytes() {
		assertThat(FileType.of(bytes(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0))).contains("image/png");
		assertThat(FileType.of(bytes(0xFF, 0xD8, 0xFF, 0xE0, 0))).contains("image/jpeg");
		assertThat(FileType.of("GIF89a....".getBytes(StandardCharsets.US_ASCII))).contains("image/gif");
		assertThat(FileType.of("RIFF\0\0\0\0WEBPVP8 ".getBytes(StandardCharsets.US_ASCII))).contains("image/webp");
		assertThat(FileType.of("%PDF-1.7\n".getBytes(StandardCharsets.US_ASCII))).contains("application/pdf");
	}

	@Test
	void utf8WithoutControlCharactersIsTextAndAnythingElseIsUnknown() {
		assertThat(FileType.of("héllo\r\n\twörld ✓".getBytes(StandardCharsets.UTF_8))).contains("text/plain");
		assertThat(FileType.of("<script>alert(1)</script>".getBytes(StandardCharsets.UTF_8))).contains("text/plain");
		assertThat(FileType.of(bytes('M', 'Z', 0x90, 0))).as("an executable").isEmpty();
		assertThat(FileType.of(bytes('a', 0, 'b'))).isEmpty();
		assertThat(FileType.of(bytes(0xC3, 0x28))).as("not UTF-8").isEmpty();
		assertThat(FileType.of(new byte[0])).isEmpty();
		assertThat(FileType.of("PK\u0003\u0004".getBytes(StandardCharsets.ISO_8859_1))).as("a zip").isEmpty();
	}

	@Test
	void aTextWhoseSampleEndsInsideACharacterIsStillText() {
		byte[] text = ("x".repeat(8191) + "é and more").getBytes(StandardCharsets.UTF_8);
		assertThat(FileType.of(text)).contains("text/plain");
	}

	private static byte[] bytes(int... values) {
		byte[] bytes = new byte[values.length];
		for (int i = 0; i < values.length; i++) {
			bytes[i] = (byte) values[i];
		}
		return bytes;
	}

}
