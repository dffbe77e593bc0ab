package io.autobahn.spring.websocket.test;

import org.jspecify.annotations.Nullable;

import io.autobahn.spring.websocket.WebSocketServerProtocol;

/**
 * The recording echo endpoint of the behaviour tests: reports {@code onOpen} (with the
 * peer), every {@code onMessage} (with its payload and {@code isBinary}) and
 * {@code onClose} (with {@code wasClean}, code and reason, which may be {@code null}) to
 * the {@link HookRecorder}, and echoes every message as it came. Test endpoints extend
 * it, carry their own {@code @WebSocketEndpoint}, and override only the hooks that record
 * or answer something else. It does not override {@code onPing}.
 */
public abstract class RecordingProtocol extends WebSocketServerProtocol {

	protected final HookRecorder recorder;

	protected RecordingProtocol(HookRecorder recorder) {
		this.recorder = recorder;
	}

	@Override
	public void onOpen() {
		this.recorder.recordNullable("onOpen", getPeer());
	}

	@Override
	public void onMessage(byte[] payload, boolean isBinary) {
		this.recorder.recordNullable("onMessage", payload, isBinary);
		sendMessage(payload, isBinary);
	}

	@Override
	public void onClose(boolean wasClean, @Nullable Integer code, @Nullable String reason) {
		this.recorder.recordNullable("onClose", wasClean, code, reason);
	}

}
