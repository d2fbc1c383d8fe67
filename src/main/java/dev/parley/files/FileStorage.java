package dev.parley.files;

import java.io.IOException;
import java.io.InputStream;

/**
 * Where the bytes of shared files are kept, by key. Every instance must reach the same store: a
 * directory they share ({@link DirectoryFileStorage}) or an S3-compatible bucket
 * ({@link S3FileStorage}). What a file is, who may read it and where it was posted is in Redis.
 */
interface FileStorage {

	void put(String key, byte[] content, String type) throws IOException;

	/** @throws java.nio.file.NoSuchFileException when there is nothing under {@code key} */
	InputStream open(String key) throws IOException;

	/** Nothing happens when there is nothing under {@code key}. */
	void delete(String key) throws IOException;

}
