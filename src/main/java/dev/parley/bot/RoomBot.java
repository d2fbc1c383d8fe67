package dev.parley.bot;

import java.time.Clock;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.parley.chat.RoomMessageObserver;
import dev.parley.config.ParleyProperties;
import dev.parley.messaging.MessageStore;
import dev.parley.presence.PresenceManager;
import dev.parley.room.RoomService;
import dev.parley.user.User;
import dev.parley.user.UserService;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;

/**
 * Answers room messages that mention it ({@code @parley-bot help}), as a user of its own whose
 * messages go through the same store and publish path as anyone's. The instance that stored the
 * mention answers it, so there is one answer however many instances run. It never answers a bot,
 * itself included, and its replies wait on one thread with a bounded queue: past it, mentions go
 * unanswered rather than pile up.
 */
@Component
@ConditionalOnBooleanProperty(name = "parley.bot.enabled", matchIfMissing = true)
class RoomBot implements RoomMessageObserver, ApplicationRunner, DisposableBean {

	static final int QUEUE = 100;

	private static final Logger log = LoggerFactory.getLogger(RoomBot.class);

	private final UserService users;

	private final RoomService rooms;

	private final MessageStore store;

	private final ParleyProperties.Bot settings;

	private final Pattern mention;

	private final BotReplies replies;

	private final ThreadPoolExecutor worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
			new ArrayBlockingQueue<>(QUEUE), new CustomizableThreadFactory("parley-bot-"),
			new ThreadPoolExecutor.DiscardPolicy());

	/** Null until the bot's user exists, and for good when a person holds its username. */
	private volatile User self;

	RoomBot(UserService users, RoomService rooms, MessageStore store, PresenceManager presence,
			ParleyProperties properties) {
		this.users = users;
		this.rooms = rooms;
		this.store = store;
		this.settings = properties.bot();
		this.mention = Pattern.compile("(?<![\\w@.-])@" + Pattern.quote(settings.username()) + "(?![\\w.-])",
				Pattern.CASE_INSENSITIVE);
		this.replies = new BotReplies(settings.username(), presence::onlineMembers, Clock.systemUTC(),
				RandomGenerator.getDefault());
	}

	@Override
	public void run(ApplicationArguments args) {
		self = users.ensureBot(settings.username(), settings.name()).orElse(null);
		if (self == null) {
			log.error("A user named {} exists who is not the bot: the bot stays silent. Choose another "
					+ "parley.bot.username.", settings.username());
		}
	}

	@Override
	public void stored(String room, User from, String text) {
		User bot = self;
		if (bot == null || from.bot() || text.indexOf('@') < 0) {
			return;
		}
		Matcher found = mention.matcher(text);
		if (found.find()) {
			String command = text.substring(found.end());
			worker.execute(() -> answer(bot, room, from, command));
		}
	}

	private void answer(User bot, String room, User from, String command) {
		try {
			// idempotent: a member already stays one
			rooms.join(bot.id(), room);
			store.storeRoomMessage(room, bot, replies.reply(room, from, command))
				.whenComplete((id, error) -> {
					if (error != null) {
						log.debug("The bot's answer in {} was not stored", room, error);
					}
				});
		}
		catch (RuntimeException ex) {
			log.warn("The bot could not answer in {}", room, ex);
		}
	}

	@Override
	public void destroy() {
		worker.shutdownNow();
	}

}
