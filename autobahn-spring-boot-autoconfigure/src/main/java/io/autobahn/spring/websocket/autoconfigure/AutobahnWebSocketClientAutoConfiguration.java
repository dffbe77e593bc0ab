package io.autobahn.spring.websocket.autoconfigure;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.util.unit.DataSize;

import io.autobahn.spring.websocket.ReconnectPolicy;
import io.autobahn.spring.websocket.WebSocketClientOptions;
import io.autobahn.spring.websocket.WebSocketConnector;
import io.autobahn.spring.websocket.client.ClientProtocols;
import io.autobahn.spring.websocket.client.ClientTransport;
import io.autobahn.spring.websocket.client.DefaultWebSocketConnector;
import io.autobahn.spring.websocket.core.ConnectionRegistry;
import io.autobahn.spring.websocket.core.EndpointObservers;
import io.autobahn.spring.websocket.core.WebSocketBudgets;

/**
 * {@link EnableAutoConfiguration Auto-configuration} of the WebSocket client, in any
 * application (web or not): the injectable {@link WebSocketConnector}, its default
 * options and reconnect policy from {@code autobahn.websocket.client.*}, and the
 * transport it connects with, Reactor Netty's where {@code reactor-netty-http} is on the
 * class path, else the JDK's ({@code autobahn.websocket.client.transport} forces one).
 * Every bean is replaceable.
 */
@AutoConfiguration(after = AutobahnWebSocketAutoConfiguration.class)
@EnableConfigurationProperties(AutobahnWebSocketProperties.class)
// The transports in order of preference: the first whose conditions match makes the bean.
@Import({ AutobahnWebSocketSharedConfiguration.class, ClientTransportConfigurations.ReactorNetty.class,
		ClientTransportConfigurations.Jdk.class })
public final class AutobahnWebSocketClientAutoConfiguration {

	/** The property that picks the transport. */
	static final String TRANSPORT_PROPERTY = AutobahnWebSocketProperties.PREFIX + ".client.transport";

	@Bean
	@ConditionalOnMissingBean
	ClientProtocols autobahnClientProtocols(ConfigurableListableBeanFactory beanFactory) {
		return new BeanFactoryClientProtocols(beanFactory);
	}

	@Bean
	@ConditionalOnMissingBean
	WebSocketConnector autobahnWebSocketConnector(ClientTransport transport, ClientProtocols protocols,
			ConnectionRegistry registry,
			@Qualifier(AutobahnWebSocketAutoConfiguration.TIMER_BEAN_NAME) ScheduledExecutorService timer,
			WebSocketBudgets budgets, AutobahnWebSocketProperties properties, ObjectProvider<SslBundles> sslBundles,
			ApplicationEventPublisher eventPublisher, ObjectProvider<EndpointObservers> observers) {
		ClientProperties client = properties.getClient();
		return new DefaultWebSocketConnector(transport, protocols, registry, timer, budgets,
				options(client, sslBundles), reconnectPolicy(client.getReconnect()), eventPublisher,
				observers.getIfUnique(() -> EndpointObservers.NONE));
	}

	static WebSocketClientOptions options(ClientProperties client, ObjectProvider<SslBundles> sslBundles) {
		WebSocketClientOptions.Builder builder = WebSocketClientOptions.builder();
		PropertyMapper map = PropertyMapper.get();
		map.from(client.getOrigin()).to(builder::origin);
		map.from(client.getSubprotocols()).as(List::copyOf).to(builder::subprotocols);
		client.getHeaders().forEach(builder::header);
		map.from(client.isPerMessageDeflate()).to(builder::perMessageDeflate);
		map.from(client.getOpenHandshakeTimeout()).to(builder::openHandshakeTimeout);
		map.from(client.getCloseHandshakeTimeout()).to(builder::closeHandshakeTimeout);
		map.from(client.getAutoPingInterval()).to(builder::autoPingInterval);
		map.from(client.getAutoPingTimeout()).to(builder::autoPingTimeout);
		map.from(client.getAutoPingSize()).to(builder::autoPingSize);
		map.from(client.getMaxMessagePayloadSize()).as(DataSize::toBytes).to(builder::maxMessagePayloadSize);
		map.from(client.getMaxFramePayloadSize()).as(DataSize::toBytes).to(builder::maxFramePayloadSize);
		map.from(client.getAutoFragmentSize()).asInt(DataSize::toBytes).to(builder::autoFragmentSize);
		map.from(client.getSendBufferSizeLimit()).as(DataSize::toBytes).to(builder::sendBufferSizeLimit);
		map.from(client.getSendTimeLimit()).to(builder::sendTimeLimit);
		map.from(client.isBlockingHooks()).to(builder::blockingHooks);
		map.from(client.getSslBundle()).as((name) -> sslBundles.getObject().getBundle(name)).to(builder::sslBundle);
		ClientProperties.Proxy proxy = client.getProxy();
		if (proxy.getHost() != null && proxy.getPort() != null) {
			builder.proxy(InetSocketAddress.createUnresolved(proxy.getHost(), proxy.getPort()));
		}
		return builder.build();
	}

	static ReconnectPolicy reconnectPolicy(ClientProperties.Reconnect reconnect) {
		return ReconnectPolicy.builder()
			.initialDelay(reconnect.getInitialDelay())
			.maxDelay(reconnect.getMaxDelay())
			.multiplier(reconnect.getMultiplier())
			.jitter(reconnect.getJitter())
			.maxAttempts(reconnect.getMaxAttempts())
			.resetAfter(reconnect.getResetAfter())
			.finalCloseCodes(reconnect.getFinalCloseCodes())
			.build();
	}

}
