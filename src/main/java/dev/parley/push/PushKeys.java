package dev.parley.push;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

import dev.parley.config.ParleyProperties;
import dev.parley.security.TokenService;

import org.springframework.stereotype.Component;

/**
 * The push API keys from {@code parley.push.keys}. A presented key is compared by digest, in
 * constant time, with every known key, so the response time tells nothing about how close it was.
 */
@Component
public class PushKeys {

	private final List<byte[]> digests;

	public PushKeys(ParleyProperties properties) {
		this.digests = properties.push().keys().stream().map(PushKeys::digest).toList();
	}

	public boolean accepts(String presented) {
		if (presented == null || presented.isEmpty() || presented.length() > 256) {
			return false;
		}
		byte[] digest = digest(presented);
		boolean accepted = false;
		for (byte[] known : digests) {
			accepted |= MessageDigest.isEqual(known, digest);
		}
		return accepted;
	}

	private static byte[] digest(String key) {
		return TokenService.hash(key).getBytes(StandardCharsets.US_ASCII);
	}

}
