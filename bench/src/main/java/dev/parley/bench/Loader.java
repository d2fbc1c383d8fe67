package dev.parley.bench;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/**
 * Opens many WebSocket connections from one process: epoll when the native transport is there,
 * NIO otherwise, with client sockets spread over source addresses 127.0.0.1..N so that local
 * ports never run out.
 */
final class Loader implements AutoCloseable {

	/** What a connection does with the frames it receives; called on its event-loop thread. */
	interface FrameListener {

		/** The frame's UTF-8 bytes, valid during the call only: the load process cannot afford a String per frame. */
		void onText(Conn conn, ByteBuf text);

		default void onClose(Conn conn) {
		}

	}

	private final EventLoopGroup group;

	private final Class<? extends SocketChannel> channelType;

	private final URI uri;

	private final int sources;

	private final Semaphore handshakes;

	private int next;

	/** At most {@code handshakesInFlight} upgrades pending at once; more wait for one to finish. */
	Loader(URI uri, int threads, int sources, int handshakesInFlight) {
		this.handshakes = new Semaphore(handshakesInFlight);
		boolean epoll = Epoll.isAvailable();
		this.group = new MultiThreadIoEventLoopGroup(threads,
				epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
		this.channelType = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
		this.uri = uri;
		this.sources = sources;
	}

	String transport() {
		return channelType == EpollSocketChannel.class ? "epoll" : "nio";
	}

	/** Completes once the upgrade is done; the server's first frame (welcome) goes to the listener. */
	CompletableFuture<Conn> connect(String token, FrameListener listener, Object state) throws InterruptedException {
		handshakes.acquire();
		CompletableFuture<Conn> ready = new CompletableFuture<>();
		ready.whenComplete((c, e) -> handshakes.release());
		DefaultHttpHeaders headers = new DefaultHttpHeaders();
		headers.add("Authorization", "Bearer " + token);
		WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
			.webSocketUri(uri)
			.customHeaders(headers)
			// as the clients a storm is made of (apps, services, Node's ws) do: only browsers send an Origin
			.generateOriginHeader(false)
			.maxFramePayloadLength(1 << 20)
			.withUTF8Validator(false)
			.handshakeTimeoutMillis(30_000)
			.build();
		Conn conn = new Conn();
		conn.state = state;
		Bootstrap bootstrap = new Bootstrap().group(group)
			.channel(channelType)
			.option(ChannelOption.TCP_NODELAY, true)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000)
			.handler(new ChannelInitializer<SocketChannel>() {
				@Override
				protected void initChannel(SocketChannel ch) {
					ch.pipeline()
						.addLast(new HttpClientCodec(), new HttpObjectAggregator(65536),
								new WebSocketClientProtocolHandler(config), new FrameHandler(conn, listener, ready));
				}
			});
		String source = "127.0.0." + (1 + (next++ % sources));
		bootstrap.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), new InetSocketAddress(source, 0))
			.addListener(f -> {
				if (!f.isSuccess()) {
					ready.completeExceptionally(f.cause());
				}
			});
		return ready;
	}

	@Override
	public void close() {
		group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
	}

	/** One connection: send text frames, close. */
	static final class Conn {

		volatile Channel channel;

		volatile Object state;

		/** Set when the bench closes it: any other close after the upgrade was the server's doing. */
		volatile boolean leaving;

		/** Whether the connection was up and then closed without the bench asking. */
		boolean droppedByServer() {
			return channel != null && !leaving;
		}

		void send(String text) {
			Channel ch = channel;
			if (ch != null && ch.isActive()) {
				ch.writeAndFlush(new TextWebSocketFrame(text), ch.voidPromise());
			}
		}

		boolean isOpen() {
			return channel != null && channel.isActive();
		}

		void close() {
			leaving = true;
			Channel ch = channel;
			if (ch != null) {
				ch.writeAndFlush(new CloseWebSocketFrame(1000, "bye")).addListener(f -> ch.close());
			}
		}

	}

	private static final class FrameHandler extends SimpleChannelInboundHandler<WebSocketFrame> {

		private final Conn conn;

		private final FrameListener listener;

		private final CompletableFuture<Conn> ready;

		FrameHandler(Conn conn, FrameListener listener, CompletableFuture<Conn> ready) {
			this.conn = conn;
			this.listener = listener;
			this.ready = ready;
		}

		@Override
		public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
			if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
				conn.channel = ctx.channel();
				ready.complete(conn);
			}
			else if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
				ready.completeExceptionally(new IllegalStateException("handshake timeout"));
			}
			super.userEventTriggered(ctx, event);
		}

		@Override
		protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
			if (frame instanceof TextWebSocketFrame text) {
				listener.onText(conn, text.content());
			}
		}

		@Override
		public void channelInactive(ChannelHandlerContext ctx) throws Exception {
			ready.completeExceptionally(new IllegalStateException("closed before the upgrade"));
			listener.onClose(conn);
			super.channelInactive(ctx);
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			ready.completeExceptionally(cause);
			ctx.close();
		}

	}

}
