package dev.parley.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;

/**
 * The floor to compare Parley with: a bare Netty server that speaks just enough of the protocol
 * for the {@code rooms} and {@code private} scenarios (guest tokens, welcome, join, message,
 * private, ack) with no authentication, storage, Redis or limits. One event-loop thread, one
 * write and flush per frame per recipient, the frame encoded once per broadcast: what the
 * machine's sockets cost, and nothing else.
 * {@code java -jar parley-bench.jar reference-server --port 8090}
 */
final class ReferenceServer {

	private final Map<String, List<Channel>> rooms = new HashMap<>();

	private final Map<String, List<Channel>> users = new HashMap<>();

	private long sequence;

	private int guests;

	static void run(Options options) throws InterruptedException {
		boolean epoll = Epoll.isAvailable();
		EventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
				epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
		Class<? extends ServerChannel> type = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
		ReferenceServer server = new ReferenceServer();
		Channel channel = new ServerBootstrap().group(group)
			.channel(type)
			.option(ChannelOption.SO_BACKLOG, 4096)
			.childOption(ChannelOption.TCP_NODELAY, true)
			.childHandler(new ChannelInitializer<SocketChannel>() {
				@Override
				protected void initChannel(SocketChannel ch) {
					ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536), server.new Http());
				}
			})
			.bind(options.string("host", "127.0.0.1"), options.integer("port", 8090))
			.sync()
			.channel();
		System.out.println("reference server on " + channel.localAddress() + " (" + (epoll ? "epoll" : "nio") + ")");
		channel.closeFuture().sync();
	}

	/** Guest tokens, a health check, and the upgrade to WebSocket; the token is the user id. */
	private final class Http extends SimpleChannelInboundHandler<FullHttpRequest> {

		@Override
		protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
			String path = request.uri();
			if (path.equals("/api/auth/guest")) {
				String id = "g" + (++guests);
				respond(ctx, request, "{\"token\":\"" + id + "\",\"user\":{\"id\":\"" + id + "\"}}");
			}
			else if (path.equals("/actuator/health")) {
				respond(ctx, request, "{\"status\":\"UP\"}");
			}
			else if (path.equals("/ws")) {
				upgrade(ctx, request);
			}
			else {
				ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_FOUND));
			}
		}

		private void upgrade(ChannelHandlerContext ctx, FullHttpRequest request) {
			String auth = request.headers().get(HttpHeaderNames.AUTHORIZATION, "");
			String user = auth.startsWith("Bearer ") ? auth.substring(7) : "";
			WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory("ws://localhost/ws", null,
					false, 65536)
				.newHandshaker(request);
			handshaker.handshake(ctx.channel(), request).addListener(done -> {
				if (done.isSuccess()) {
					ctx.pipeline().replace(this, "frames", new Frames(user));
					users.computeIfAbsent(user, u -> new ArrayList<>()).add(ctx.channel());
					ctx.channel().closeFuture().addListener(closed -> forget(ctx.channel(), user));
					ctx.writeAndFlush(text("{\"type\":\"welcome\",\"user\":{\"id\":\"" + user + "\"}}"));
				}
			});
		}

		private void respond(ChannelHandlerContext ctx, FullHttpRequest request, String json) {
			FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
					Unpooled.copiedBuffer(json, StandardCharsets.UTF_8));
			response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
			HttpUtil.setContentLength(response, response.content().readableBytes());
			HttpUtil.setKeepAlive(response, HttpUtil.isKeepAlive(request));
			ctx.writeAndFlush(response);
		}

	}

	private final class Frames extends SimpleChannelInboundHandler<WebSocketFrame> {

		private final String user;

		Frames(String user) {
			this.user = user;
		}

		@Override
		protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
			if (!(frame instanceof TextWebSocketFrame text)) {
				return;
			}
			String json = text.text();
			String type = field(json, "type");
			String ref = field(json, "ref");
			switch (type == null ? "" : type) {
				case "join" -> {
					String room = field(json, "room");
					rooms.computeIfAbsent(room, r -> new ArrayList<>()).add(ctx.channel());
					ctx.writeAndFlush(text("{\"type\":\"joined\",\"room\":\"" + room + "\",\"online\":[],\"messages\":[]}"));
				}
				case "message" -> {
					String room = field(json, "room");
					String id = nextId();
					ctx.writeAndFlush(ack(ref, id));
					broadcast(rooms.getOrDefault(room, List.of()), "{\"type\":\"message\",\"room\":\"" + room
							+ "\",\"id\":\"" + id + "\",\"from\":{\"id\":\"" + user + "\"},\"text\":\""
							+ field(json, "text") + "\"}");
				}
				case "private" -> {
					String to = field(json, "to");
					String id = nextId();
					ctx.writeAndFlush(ack(ref, id));
					String message = "{\"type\":\"private\",\"id\":\"" + id + "\",\"from\":{\"id\":\"" + user
							+ "\"},\"to\":\"" + to + "\",\"text\":\"" + field(json, "text") + "\"}";
					List<Channel> recipients = new ArrayList<>(users.getOrDefault(to, List.of()));
					if (!to.equals(user)) {
						recipients.addAll(users.getOrDefault(user, List.of()));
					}
					broadcast(recipients, message);
				}
				default -> ctx.writeAndFlush(text("{\"type\":\"error\",\"code\":\"unknown_type\"}"));
			}
		}

	}

	private String nextId() {
		return System.currentTimeMillis() + "-" + (sequence++);
	}

	private static TextWebSocketFrame ack(String ref, String id) {
		return text("{\"type\":\"ack\",\"ref\":\"" + ref + "\",\"id\":\"" + id + "\"}");
	}

	/** Encoded once; every recipient's frame shares the bytes. */
	private static void broadcast(List<Channel> recipients, String json) {
		ByteBuf bytes = Unpooled.copiedBuffer(json, StandardCharsets.UTF_8);
		for (Channel channel : recipients) {
			channel.writeAndFlush(new TextWebSocketFrame(bytes.retainedDuplicate()));
		}
		bytes.release();
	}

	private static TextWebSocketFrame text(String json) {
		return new TextWebSocketFrame(json);
	}

	private void forget(Channel channel, String user) {
		rooms.values().forEach(members -> members.remove(channel));
		List<Channel> own = users.get(user);
		if (own != null) {
			own.remove(channel);
		}
	}

	/** The string value of a top-level field, for the benchmark's own frames (no escapes in them). */
	private static String field(String json, String name) {
		String key = "\"" + name + "\":\"";
		int start = json.indexOf(key);
		if (start < 0) {
			return null;
		}
		start += key.length();
		return json.substring(start, json.indexOf('"', start));
	}

}
