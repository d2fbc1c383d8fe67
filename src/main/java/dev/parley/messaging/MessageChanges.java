package dev.parley.messaging;

import java.util.List;

import io.lettuce.core.ScriptOutputType;

import dev.parley.chat.ChatException;
import dev.parley.chat.ErrorCode;
import dev.parley.config.ParleyProperties;
import dev.parley.config.RedisAsync;
import dev.parley.config.RedisKeys;
import dev.parley.config.RedisScripts;
import dev.parley.history.MessageFormat;
import dev.parley.user.User;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

/**
 * Edits and deletes stored messages: one script on the message's stream changes it, records the
 * change for clients that resume later ({@code joined.changes}) and, in a room, publishes the
 * {@code edited} or {@code deleted} event on the room's channel, the path its messages take. A
 * private conversation's two users have channels in other slots: the event goes to each of them
 * after the script, with {@code with} naming the other one.
 */
@Component
public class MessageChanges {

	private static final RedisScript<List> CHANGE_MESSAGE = RedisScripts.load("change-message", List.class);

	/** The change made: when, and the event that told it ({@code with} left out in a conversation). */
	/** {@code author}: for a delete, who wrote the message (a moderator's delete is someone else's); null for an edit. */
	public record Change(long ts, String event, String author) {
	}

	/** Where the files of a deleted message go: with it. */
	public interface DeletedFiles {

		void remove(List<String> fileIds);

	}

	private final RedisAsync async;

	private final JsonMapper json;

	private final ObjectWriter strings;

	private final PubSubGateway gateway;

	private final ParleyProperties.History history;

	private final DeletedFiles deletedFiles;

	MessageChanges(RedisAsync async, JsonMapper json, PubSubGateway gateway, DeletedFiles deletedFiles,
			ParleyProperties properties) {
		this.async = async;
		this.deletedFiles = deletedFiles;
		this.json = json;
		this.strings = json.writerFor(String.class);
		this.gateway = gateway;
		this.history = properties.history();
	}

	/** The new text's mentions of members are the message's now, as a new message's are. */
	public Change editRoomMessage(String slug, String id, User by, String text) {
		return change(roomStream(slug, "edit", id, by, false, roomEventHead("edited", slug)),
				strings.writeValueAsString(text), MessageFormat.mentionCandidates(text));
	}

	/** @param anyone whether {@code by} may delete others' messages in the room (a moderator, the console) */
	public Change deleteRoomMessage(String slug, String id, User by, boolean anyone) {
		return change(roomStream(slug, "delete", id, by, anyone, roomEventHead("deleted", slug)), "", "");
	}

	public Change editPrivate(User by, String with, String id, String text) {
		return toBoth(by.id(), with, change(conversation(by, with, "edit", id, privateEventHead("edited")),
				strings.writeValueAsString(text), ""));
	}

	public Change deletePrivate(User by, String with, String id) {
		return toBoth(by.id(), with, change(conversation(by, with, "delete", id, privateEventHead("deleted")), "", ""));
	}

	/** Which stream, what change, by whom, and where its event goes: what every change shares. */
	private record Target(String stream, String members, String kind, String id, User by, boolean anyone, String head,
			String channel, int length) {
	}

	private Target roomStream(String slug, String kind, String id, User by, boolean anyone, String head) {
		return new Target(RedisKeys.roomHistory(slug), RedisKeys.roomMembers(slug), kind, id, by, anyone, head,
				RedisKeys.roomChannel(slug), history.maxPerRoom());
	}

	private Target conversation(User by, String with, String kind, String id, String head) {
		return new Target(RedisKeys.conversationHistory(by.id(), with), null, kind, id, by, false, head, "",
				history.maxPerConversation());
	}

	/** A conversation's event as {@code userId} gets it: {@code with} names the other user. */
	public static String forUser(String event, String partner) {
		int id = event.indexOf(",\"id\":\"");
		return event.substring(0, id) + ",\"with\":\"" + partner + "\"" + event.substring(id);
	}

	private Change toBoth(String userId, String partner, Change change) {
		gateway.tellUser(userId, forUser(change.event(), partner));
		if (!userId.equals(partner)) {
			gateway.tellUser(partner, forUser(change.event(), userId));
		}
		return change;
	}

	private static String roomEventHead(String type, String slug) {
		return "{\"type\":\"" + type + "\",\"room\":\"" + slug + "\",\"id\":\"";
	}

	private static String privateEventHead(String type) {
		return "{\"type\":\"" + type + "\",\"id\":\"";
	}

	private Change change(Target target, String text, String mentions) {
		if (!MessageFormat.isValidId(target.id())) {
			throw new ChatException(ErrorCode.BAD_REQUEST, "id is not a message id");
		}
		String stream = target.stream();
		String[] keys = target.members() == null
				? new String[] { stream, RedisKeys.editsOf(stream), RedisKeys.changesOf(stream) }
				: new String[] { stream, RedisKeys.editsOf(stream), RedisKeys.changesOf(stream), target.members() };
		List<?> result = async.await(async.eval(CHANGE_MESSAGE, ScriptOutputType.MULTI, keys, target.kind(),
				target.id(), target.by().id(), target.anyone() ? "1" : "0", text, target.head(),
				json.writeValueAsString(target.by()), target.channel(), Envelope.DELIVER_TO_ALL,
				async.shardedPubSub() ? "SPUBLISH" : "PUBLISH", Integer.toString(target.length()), mentions));
		if (result.size() == 1) {
			throw refused(String.valueOf(result.get(0)), target.id());
		}
		String removed = String.valueOf(result.get(2));
		if (removed.isEmpty()) {
			return new Change((Long) result.get(0), String.valueOf(result.get(1)), null);
		}
		JsonNode message = json.readTree("{\"id\":\"" + removed + "}");
		removeFiles(message);
		return new Change((Long) result.get(0), String.valueOf(result.get(1)), message.path("from").path("id").asString());
	}

	/** The files a deleted message carried, from its JSON ({@code "files":[...]}). */
	private void removeFiles(JsonNode message) {
		JsonNode files = message.path("files");
		if (files.isArray() && !files.isEmpty()) {
			deletedFiles.remove(files.valueStream().map(file -> file.path("id").asString()).toList());
		}
	}

	private static ChatException refused(String reply, String id) {
		return switch (reply) {
			case "!not_found" -> new ChatException(ErrorCode.NOT_FOUND, "no message " + id);
			case "!forbidden" -> new ChatException(ErrorCode.FORBIDDEN, "only its author may change message " + id);
			default -> new ChatException(ErrorCode.UNAVAILABLE, "the change could not be stored");
		};
	}

}
