package io.autobahn.spring.websocket.behaviour;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Import;

import io.autobahn.spring.websocket.ConnectionAccept;
import io.autobahn.spring.websocket.ConnectionRequest;
import io.autobahn.spring.websocket.WebSocketEndpoint;
import io.autobahn.spring.websocket.core.Budget;
import io.autobahn.spring.websocket.core.WebSocketBudgets;
import io.autobahn.spring.websocket.test.HookRecorder;
import io.autobahn.spring.websocket.test.LogLines;
import io.autobahn.spring.websocket.test.Poll;
import io.autobahn.spring.websocket.test.RawWebSocket;
import io.autobahn.spring.websocket.test.RecordingProtocol;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code max-connections} (Autobahn's {@code maxConnections}): endpoint {@code limited}
 * takes 2 connections and the application 3. Past either limit a handshake gets
 * {@code 503} with Autobahn's reason, before {@code onConnect} runs; the refusal is
 * counted by the limit that refused and logged at WARN; a slot is free again once its
 * connection has closed, and every slot is back when all are closed. Stack-neutral:
 * subclassed per container.
 */
@SpringBootTest(classes = ConnectionLimitTests.ConnectionLimitApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "autobahn.websocket.endpoints.limited.max-connections=2",
				"autobahn.websocket.application.max-connections=3" })
@ExtendWith(OutputCaptureExtension.class)
class ConnectionLimitTests extends AbstractBehaviourTests {

	@Autowired
	WebSocketBudgets budgets;

	@BeforeEach
	void awaitAllSlotsFree() throws InterruptedException {
		Poll.until("connection slots of earlier tests are free", () -> this.budgets.getConnections().getInUse() == 0,
				TIMEOUT);
	}

	@Test
	void pastTheEndpointsLimitAHandshakeGets503BeforeOnConnect(CapturedOutput output) throws Exception {
		Budget limited = this.budgets.getEndpoints().get("limited").getConnections();
		List<RawWebSocket> open = new ArrayList<>();
		try {
			open.add(accepted("/limited"));
			open.add(accepted("/limited"));
			try (RawWebSocket refused = RawWebSocket.connect(this.port, "/limited")) {
				assertThat(refused.handshake().status()).isEqualTo(503);
				assertThat(refused.handshake().body()).isEqualTo("maximum number of connections reached");
			}
			assertThat(limited.getRefusals()).isEqualTo(1);
			assertThat(this.budgets.getConnections().getRefusals()).isZero();
			assertThat(this.recorder.drain()).as("onConnect did not run for the refused handshake")
				.noneMatch((event) -> event.hook().equals("onConnect"));
			assertThat(LogLines.first(output.getAll(), " WARN ", "'limited'", "503")).contains(
					"refusing a connection from",
					"with 503: the max-connections of endpoint 'limited' of 2 connections is reached");

			// A slot is free again once a connection has closed.
			RawWebSocket first = open.remove(0);
			first.sendClose(1000, "");
			this.recorder.await("onClose", TIMEOUT);
			Poll.until("the closed connection's slot is free", () -> limited.getInUse() == 1, TIMEOUT);
			open.add(accepted("/limited"));
		}
		finally {
			closeAll(open);
		}
	}

	@Test
	void pastTheApplicationsLimitAHandshakeOnAnyEndpointGets503() throws Exception {
		List<RawWebSocket> open = new ArrayList<>();
		try {
			open.add(accepted("/limited"));
			open.add(accepted("/limited"));
			open.add(accepted("/other"));
			try (RawWebSocket refused = RawWebSocket.connect(this.port, "/other")) {
				assertThat(refused.handshake().status()).isEqualTo(503);
				assertThat(refused.handshake().body()).isEqualTo("maximum number of connections reached");
			}
			assertThat(this.budgets.getConnections().getRefusals()).isEqualTo(1);
			assertThat(this.budgets.getConnections().getInUse()).isEqualTo(3);
			assertThat(this.recorder.drain()).noneMatch((event) -> event.hook().equals("onConnect"));
		}
		finally {
			closeAll(open);
		}
	}

	private RawWebSocket accepted(String path) throws Exception {
		RawWebSocket raw = RawWebSocket.connect(this.port, path);
		assertThat(raw.handshake().status()).isEqualTo(101);
		this.recorder.await("onConnect", TIMEOUT);
		this.recorder.await("onOpen", TIMEOUT);
		return raw;
	}

	private void closeAll(List<RawWebSocket> open) throws Exception {
		for (RawWebSocket raw : open) {
			raw.sendClose(1000, "");
			raw.close();
		}
		Poll.until("every slot is free", () -> this.budgets.getConnections().getInUse() == 0, TIMEOUT);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ HookRecorder.class, LimitedProtocol.class, OtherProtocol.class })
	static class ConnectionLimitApplication {

	}

	/** Records onConnect too. */
	abstract static class ConnectRecordingProtocol extends RecordingProtocol {

		ConnectRecordingProtocol(HookRecorder recorder) {
			super(recorder);
		}

		@Override
		public ConnectionAccept onConnect(ConnectionRequest request) {
			this.recorder.record("onConnect", request.path());
			return ConnectionAccept.accept();
		}

	}

	@WebSocketEndpoint(path = "/limited", name = "limited")
	static class LimitedProtocol extends ConnectRecordingProtocol {

		LimitedProtocol(HookRecorder recorder) {
			super(recorder);
		}

	}

	@WebSocketEndpoint(path = "/other", name = "other")
	static class OtherProtocol extends ConnectRecordingProtocol {

		OtherProtocol(HookRecorder recorder) {
			super(recorder);
		}

	}

}
