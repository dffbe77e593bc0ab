package io.autobahn.spring.bench.loadgen;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;

/**
 * The fastest echo this machine can offer as a reference: raw Netty, no framework, on the given
 * group's event loops ({@code --threads}, one by default; the connections spread over them). The
 * load generator's ceiling is measured against it ({@code --mode server}).
 */
final class RawNettyEchoServer {

	private RawNettyEchoServer() {
	}

	static void run(EventLoopGroup group, int port) throws InterruptedException {
		int maxMessage = 2 * 1024 * 1024;
		WebSocketServerProtocolConfig config = WebSocketServerProtocolConfig.newBuilder()
			.websocketPath("/echo")
			.maxFramePayloadLength(maxMessage)
			.build();
		new ServerBootstrap().group(group)
			.channel(NioServerSocketChannel.class)
			.option(ChannelOption.SO_BACKLOG, 1024)
			.childOption(ChannelOption.TCP_NODELAY, true)
			.childHandler(new ChannelInitializer<SocketChannel>() {
				@Override
				protected void initChannel(SocketChannel ch) {
					ch.pipeline()
						.addLast(new HttpServerCodec(), new HttpObjectAggregator(65536),
								new WebSocketServerProtocolHandler(config), new WebSocketFrameAggregator(maxMessage),
								new Echo());
				}
			})
			.bind("127.0.0.1", port)
			.sync()
			.channel()
			.closeFuture()
			.sync();
	}

	static final class Echo extends SimpleChannelInboundHandler<WebSocketFrame> {

		@Override
		protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
			if (frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame) {
				ctx.write(frame.retain());
			}
		}

		@Override
		public void channelReadComplete(ChannelHandlerContext ctx) {
			ctx.flush();
		}

	}

}
