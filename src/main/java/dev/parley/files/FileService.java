package dev.parley.files;

import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.parley.chat.ChatException;
import dev.parley.chat.ErrorCode;
import dev.parley.config.ParleyProperties;
import dev.parley.config.RedisAsync;
import dev.parley.config.RedisKeys;
import dev.parley.history.StreamId;
import dev.parley.messaging.MessageChanges;
import dev.parley.room.RoomService;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.ZSetOperations;
import org.springframework.stereotype.Service;

/**
 * Shared files: an upload is checked (size, the type its content shows, the owner's quota), kept in
 * the {@link FileStorage} with a preview for an image, and described in Redis; a message that
 * carries it records where it was posted, which decides who may read it: the members of that room,
 * the two users of that conversation, and its owner. A file goes with the message it was posted
 * in, with its owner when the owner's account is purged, and a day after its upload if it was never
 * sent.
 */
@Service
public class FileService implements MessageChanges.DeletedFiles {

	private static final Logger log = LoggerFactory.getLogger(FileService.class);

	/** The most files one message carries. */
	public static final int MAX_PER_MESSAGE = 10;

	/** The most files one user keeps at once, whatever their size. */
	static final int MAX_FILES = 1000;

	/** How long an uploaded file waits to be sent. */
	static final Duration UNSENT = Duration.ofDays(1);

	private static final SecureRandom IDS = new SecureRandom();

	private static final int MAX_NAME = 120;

	private final StringRedisTemplate redis;

	private final RedisAsync async;

	private final FileStorage storage;

	private final RoomService rooms;

	private final ParleyProperties.Files settings;

	FileService(StringRedisTemplate redis, RedisAsync async, FileStorage storage, RoomService rooms,
			ParleyProperties properties) {
		this.redis = redis;
		this.async = async;
		this.storage = storage;
		this.rooms = rooms;
		this.settings = properties.files();
	}

	/** Why an upload was refused, with the HTTP status it answers. */
	public static final class Refused extends RuntimeException {

		private final int status;

		Refused(int status, String reason) {
			super(reason);
			this.status = status;
		}

		public int status() {
			return status;
		}

	}

	public SharedFile upload(String owner, String name, byte[] content) throws IOException {
		if (content.length == 0) {
			throw new Refused(400, "the file is empty");
		}
		if (content.length > settings.maxSize().toBytes()) {
			throw new Refused(413, "a file may be at most " + settings.maxSize().toMegabytes() + " MB");
		}
		String type = FileType.of(content).filter(settings.types()::contains).orElseThrow(() -> new Refused(415,
				"this type of file is not taken; allowed: " + String.join(", ", settings.types())));
		Map<String, Long> kept = kept(owner);
		long used = kept.values().stream().mapToLong(Long::longValue).sum();
		if (kept.size() >= MAX_FILES || used + content.length > settings.quota().toBytes()) {
			throw new Refused(413, "you keep " + kept.size() + " files (" + used / (1024 * 1024) + " MB) already; "
					+ "the most is " + MAX_FILES + " files or " + settings.quota().toMegabytes() + " MB");
		}
		String id = newId();
		storage.put(id, content, type);
		boolean thumbnail = FileType.isImage(type) && Thumbnails.of(content, type).map(preview -> {
			try {
				storage.put(id + ".thumbnail", preview.content(), preview.type());
				return true;
			}
			catch (IOException ex) {
				log.warn("Storing the preview of file {} failed", id, ex);
				return false;
			}
		}).orElse(false);
		Map<String, String> fields = Map.of("owner", owner, "name", cleanName(name, type), "type", type, "size",
				Long.toString(content.length), "created", Long.toString(System.currentTimeMillis()), "thumbnail",
				thumbnail ? "1" : "0", "posted", "");
		redis.opsForHash().putAll(RedisKeys.file(id), fields);
		redis.expire(RedisKeys.file(id), UNSENT);
		redis.opsForHash().put(RedisKeys.userFiles(owner), id, Long.toString(content.length));
		return SharedFile.of(id, Map.copyOf(fields));
	}

	public Optional<SharedFile> find(String id) {
		if (!isId(id)) {
			return Optional.empty();
		}
		Map<Object, Object> fields = redis.opsForHash().entries(RedisKeys.file(id));
		return fields.isEmpty() ? Optional.empty() : Optional.of(SharedFile.of(id, fields));
	}

	/** Whether {@code userId} may read the file: its owner, or a member of where it was posted. */
	public boolean mayRead(String userId, SharedFile file) {
		if (file.owner().equals(userId)) {
			return true;
		}
		String posted = file.posted();
		if (posted.startsWith("room:")) {
			return rooms.isMember(userId, posted.substring("room:".length()));
		}
		if (posted.startsWith("dm:")) {
			return List.of(posted.substring("dm:".length()).split(":")).contains(userId);
		}
		return false;
	}

	public InputStream open(SharedFile file, boolean thumbnail) throws IOException {
		return storage.open(thumbnail ? file.id() + ".thumbnail" : file.id());
	}

	/**
	 * Records the files a message carries as posted in room {@code slug}; the sender must own each
	 * and not have sent it before.
	 */
	public List<SharedFile> postInRoom(String sender, List<String> ids, String slug) {
		return post(sender, ids, "room:" + slug);
	}

	public List<SharedFile> postInConversation(String sender, List<String> ids, String userA, String userB) {
		return post(sender, ids, "dm:" + (userA.compareTo(userB) <= 0 ? userA + ":" + userB : userB + ":" + userA));
	}

	private List<SharedFile> post(String sender, List<String> ids, String where) {
		Set<String> distinct = new LinkedHashSet<>(ids);
		if (distinct.size() > MAX_PER_MESSAGE) {
			throw new ChatException(ErrorCode.BAD_REQUEST, "a message carries at most " + MAX_PER_MESSAGE + " files");
		}
		List<SharedFile> files = new ArrayList<>();
		for (String id : distinct) {
			SharedFile file = find(id).orElseThrow(() -> new ChatException(ErrorCode.NOT_FOUND, "no file " + id));
			if (!file.owner().equals(sender)) {
				throw new ChatException(ErrorCode.FORBIDDEN, "file " + id + " was uploaded by someone else");
			}
			if (!file.posted().isEmpty()) {
				throw new ChatException(ErrorCode.BAD_REQUEST, "file " + id + " was sent already: upload it again");
			}
			files.add(file);
		}
		for (SharedFile file : files) {
			redis.opsForHash().put(RedisKeys.file(file.id()), "posted", where);
			redis.persist(RedisKeys.file(file.id()));
		}
		return files;
	}

	/**
	 * Lists a stored message's files with its stream's ({@link RedisKeys#filesOf}), at the time of
	 * the message, so that {@link TrimmedFilesSweeper} removes them once the stream's trim has taken
	 * the message. A failure here only leaves the files to their owner's purge.
	 */
	public void kept(String stream, String messageId, List<String> ids) {
		double at = StreamId.parse(messageId).millis();
		try {
			redis.opsForZSet().add(RedisKeys.filesOf(stream),
					ids.stream().map(id -> ZSetOperations.TypedTuple.of(id, at)).collect(Collectors.toSet()));
			redis.opsForSet().add(RedisKeys.FILE_STREAMS, stream);
		}
		catch (DataAccessException ex) {
			log.warn("Listing the files of message {} in {} failed; its trim leaves them", messageId, stream, ex);
		}
	}

	/** For a message that was not stored after all: its files may be sent again, and expire unsent as before. */
	public void unpost(List<String> ids) {
		for (String id : new LinkedHashSet<>(ids)) {
			if (Boolean.TRUE.equals(redis.hasKey(RedisKeys.file(id)))) {
				redis.opsForHash().put(RedisKeys.file(id), "posted", "");
				redis.expire(RedisKeys.file(id), UNSENT);
			}
		}
	}

	/** Removes files and their previews, in Redis and in the store: those of a deleted message, or of a purged user. */
	@Override
	public void remove(List<String> ids) {
		for (String id : ids) {
			find(id).ifPresent(file -> {
				redis.delete(RedisKeys.file(id));
				redis.opsForHash().delete(RedisKeys.userFiles(file.owner()), id);
			});
			removeStored(id);
		}
	}

	/** Every file the user still has. Their files hash goes with the rest of their keys. */
	public void removeAllOf(String userId) {
		remove(redis.opsForHash().keys(RedisKeys.userFiles(userId)).stream().map(String::valueOf).toList());
	}

	/**
	 * The user's files and their sizes, less those that were never sent and expired: their bytes go
	 * too, and they count no more. Whether each still exists is asked in one round trip.
	 */
	private Map<String, Long> kept(String owner) {
		Map<Object, Object> listed = redis.opsForHash().entries(RedisKeys.userFiles(owner));
		List<String> ids = listed.keySet().stream().map(String::valueOf).toList();
		List<Long> exist = async.awaitAll(ids.stream()
			.map(id -> async.commands().exists(RedisKeys.file(id)).toCompletableFuture())
			.toList());
		Map<String, Long> kept = new LinkedHashMap<>();
		for (int i = 0; i < ids.size(); i++) {
			String id = ids.get(i);
			if (exist.get(i) > 0) {
				kept.put(id, Long.parseLong((String) listed.get(id)));
			}
			else {
				redis.opsForHash().delete(RedisKeys.userFiles(owner), id);
				removeStored(id);
			}
		}
		return kept;
	}

	private void removeStored(String id) {
		try {
			storage.delete(id);
			storage.delete(id + ".thumbnail");
		}
		catch (IOException ex) {
			log.warn("Removing the stored bytes of file {} failed; they are left behind", id, ex);
		}
	}

	static boolean isId(String id) {
		return id != null && id.matches("[A-Za-z0-9_-]{22}");
	}

	private static String newId() {
		byte[] random = new byte[16];
		IDS.nextBytes(random);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
	}

	/** The name shown and offered for download: no path, no control characters, a length bound, never blank. */
	private static String cleanName(String name, String type) {
		String base = name == null ? "" : name.replace('\\', '/');
		base = base.substring(base.lastIndexOf('/') + 1).replaceAll("\\p{Cntrl}", "").strip();
		if (base.isEmpty() || base.equals(".") || base.equals("..")) {
			base = "file." + type.substring(type.indexOf('/') + 1).replace("plain", "txt");
		}
		return base.length() > MAX_NAME ? base.substring(0, MAX_NAME) : base;
	}

}
