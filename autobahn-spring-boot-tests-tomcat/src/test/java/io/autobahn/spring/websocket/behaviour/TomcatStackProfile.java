package io.autobahn.spring.websocket.behaviour;

import io.autobahn.spring.websocket.test.StackProfile;

/**
 * Tomcat, the stack of this module's test run (its build names this class in
 * {@value StackProfile#PROPERTY}).
 */
public final class TomcatStackProfile implements StackProfile {

	@Override
	public String name() {
		return "Tomcat";
	}

	@Override
	public boolean keepsEmptyCloseFrames() {
		return false;
	}

	@Override
	public boolean reportsPeersCloseFrame() {
		return false;
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
		return true;
	}

}
