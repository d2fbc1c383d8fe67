package dev.parley.messaging;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.parley.chat.ChatException;
import dev.parley.chat.ErrorCode;
import dev.parley.chat.FailureLog;
import dev.parley.chat.MessageCounters;
import dev.parley.delivery.OutboundFrame;
import dev.parley.history.MessageFormat;
import dev.parley.messaging.StoreCommand.PrivateDelivery;
import dev.parley.messaging.StoreCommand.PrivateEntry;
import dev.parley.messaging.StoreCommand.PrivateMessage;
import dev.parley.messaging.StoreCommand.RoomMessage;
import dev.parley.messaging.StoreCommand.SenderCopy;
import dev.parley.user.User;

import org.springframework.stereotype.Component;

/**
 * Stores and publishes messages. A room message is appended to its stream and published to its
 * channel in one step, a Lua script that {@link StoreBatcher} runs for every message waiting, so a
 * stored message is always published and the id in the published frame is the stream id. Futures
 * complete on the Redis I/O thread; a failure is a {@link ChatException} for the sender.
 */
@Component
public class MessageStore {

	private static final Logger log = LoggerFactory.getLogger(MessageStore.class);

	/**
	 * A stored private message: its id, the frame every connection of both users gets, and whether
	 * it was left for this instance to hand to the recipient, all of whose live connections are here.
	 */
	public record StoredPrivate(String id, OutboundFrame frame, boolean recipientOnlyHere) {
	}

	private final StoreBatcher batcher;

	private final MessageFormat format;

	private final MessageCounters counters;

	private final FailureLog storeFailures = new FailureLog(log, "Storing a message failed");

	MessageStore(StoreBatcher batcher, MessageFormat format, MessageCounters counters) {
		this.batcher = batcher;
		this.format = format;
		this.counters = counters;
	}

	/** Stores and publishes without holding the caller's thread; completes with the message id. */
	public CompletableFuture<String> storeRoomMessage(String slug, User from, String text) {
		return storeRoomMessage(slug, from, text, "");
	}

	/**
	 * An admins' announcement kept in the room's history: a message marked {@code "announcement":true}
	 * (before its text, where an edit never reaches).
	 */
	public CompletableFuture<String> storeAnnouncement(String slug, User from, String text) {
		return storeRoomMessage(slug, from, text, ",\"announcement\":true");
	}

	/** @param files the message's {@code ,"files":[...]}, or empty */
	public CompletableFuture<String> storeRoomMessage(String slug, User from, String text, String files) {
		return counted(checked(batcher.store(new RoomMessage(slug, from.id(), MessageFormat.roomHead(slug),
				format.roomTail(from, text, files), MessageFormat.mentionCandidates(text)))));
	}

	/**
	 * Like {@link #storeRoomMessage}, for a private message sent on connection
	 * {@code senderConnection}, which is left out of the delivery: its caller writes the returned
	 * frame to it, right behind the ack, rather than wait for the frame to come back from Redis. When
	 * every live connection of the recipient is on this instance, the message is not published (no
	 * other instance needs it, and the round through pub/sub cost more than storing it): the result
	 * says so, for the caller to hand it over here.
	 * <p>
	 * On a single Redis it is one step. On a Cluster the conversation, the recipient and the sender
	 * each have a slot: the entry is appended first, then the recipient's and the sender's parts go
	 * together, with its id. A message is stored only when all three are done; one whose later parts
	 * failed is in the history, and the sender, told it was not sent, may send it again.
	 */
	public CompletableFuture<StoredPrivate> storePrivate(User from, User to, String text, String files,
			String senderConnection) {
		String tail = format.privateTail(from, to, text, files);
		String toOthers = Envelope.toOthersPrefix(senderConnection);
		boolean toSelf = from.id().equals(to.id());
		String recipientPrefix = toSelf ? toOthers : Envelope.DELIVER_TO_ALL;
		PrivateMessage whole = new PrivateMessage(from.id(), to.id(), tail, senderConnection, MessageFormat.privateHead(),
				recipientPrefix, toOthers);
		if (batcher.inOneGroup(whole.keys())) {
			return counted(checked(batcher.store(whole)).thenApply(result -> {
				boolean here = result.startsWith(PrivateMessage.HERE);
				String id = here ? result.substring(PrivateMessage.HERE.length()) : result;
				return new StoredPrivate(id,
						new OutboundFrame(MessageFormat.assemble(MessageFormat.privateHead(), id, tail)), here);
			}));
		}
		return counted(checked(batcher.store(new PrivateEntry(from.id(), to.id(), tail, senderConnection)))
			.thenCompose(id -> {
				String json = MessageFormat.assemble(MessageFormat.privateHead(), id, tail);
				long ts = MessageFormat.timestampOf(id);
				CompletableFuture<String> delivered = checked(batcher.store(
						new PrivateDelivery(to.id(), from.id(), json, ts, recipientPrefix)));
				CompletableFuture<String> copied = toSelf ? CompletableFuture.completedFuture("ok")
						: checked(batcher.store(new SenderCopy(from.id(), to.id(), json, ts, toOthers)));
				return delivered.thenCombine(copied, (where, ignored) -> new StoredPrivate(id, new OutboundFrame(json),
						PrivateDelivery.HERE.equals(where)));
			}));
	}

	private <T> CompletableFuture<T> counted(CompletableFuture<T> stored) {
		return stored.whenComplete((result, error) -> {
			if (error == null) {
				counters.messageStored();
			}
		});
	}

	/**
	 * Never throws: every failure, connecting included, completes the future exceptionally, with a
	 * {@link ChatException} the sender is told.
	 */
	private CompletableFuture<String> checked(CompletableFuture<String> reply) {
		return reply.handle((result, error) -> {
			if (error != null) {
				if (error instanceof CompletionException completion && completion.getCause() instanceof ChatException) {
					throw completion;
				}
				storeFailures.report(error);
				throw new ChatException(ErrorCode.UNAVAILABLE, "storage is unavailable, try again").asFailure();
			}
			return checked(result);
		});
	}

	private static String checked(String result) {
		if (result == null) {
			throw new ChatException(ErrorCode.UNAVAILABLE, "the message could not be stored").asFailure();
		}
		if (result.startsWith("!")) {
			ErrorCode code = ErrorCode.fromWire(result.substring(1));
			throw new ChatException(code, code.defaultMessage()).asFailure();
		}
		return result;
	}

}
