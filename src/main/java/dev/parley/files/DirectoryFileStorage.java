package dev.parley.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Files in a directory, one per key. A file is written under a temporary name and moved into
 * place, so a reader never sees half of one. Keys are ids Parley made, never names from clients.
 */
final class DirectoryFileStorage implements FileStorage {

	private final Path root;

	DirectoryFileStorage(Path root) throws IOException {
		this.root = Files.createDirectories(root.toAbsolutePath().normalize());
	}

	@Override
	public void put(String key, byte[] content, String type) throws IOException {
		Path target = path(key);
		Path partial = Files.createTempFile(root, ".upload-", ".part");
		try {
			Files.write(partial, content);
			Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		}
		finally {
			Files.deleteIfExists(partial);
		}
	}

	@Override
	public InputStream open(String key) throws IOException {
		return Files.newInputStream(path(key));
	}

	@Override
	public void delete(String key) throws IOException {
		Files.deleteIfExists(path(key));
	}

	private Path path(String key) {
		Path path = root.resolve(key).normalize();
		if (!path.getParent().equals(root)) {
			throw new IllegalArgumentException("not a file key: " + key);
		}
		return path;
	}

}
