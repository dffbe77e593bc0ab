package io.autobahn.spring.websocket.behaviour;

import io.autobahn.spring.websocket.test.StackProfile;

/**
 * Jetty, the stack of this module's test run (its build names this class in
 * {@value StackProfile#PROPERTY}).
 */
public final class JettyStackProfile implements StackProfile {

	@Override
	public String name() {
		return "Jetty";
	}

	@Override
	public boolean keepsEmptyCloseFrames() {
		return true;
	}

	@Override
	public boolean reportsPeersCloseFrame() {
		return true;
	}

	@Override
	public boolean acceptsEveryDeflateOffer() {
		return false;
	}

	@Override
	public boolean handsOverDirectBuffers() {
		return false;
	}

	@Override
	public boolean rewritesForwardedForNatively() {
		return false;
	}

}
