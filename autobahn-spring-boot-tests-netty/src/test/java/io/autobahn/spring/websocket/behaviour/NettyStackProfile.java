package io.autobahn.spring.websocket.behaviour;

import io.autobahn.spring.websocket.test.StackProfile;

/**
 * WebFlux on Reactor Netty, the stack of this module's test run (its build names this
 * class in {@value StackProfile#PROPERTY}).
 */
public final class NettyStackProfile implements StackProfile {

	@Override
	public String name() {
		return "Netty";
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
		return true;
	}

	@Override
	public boolean handsOverDirectBuffers() {
		return true;
	}

	@Override
	public boolean rewritesForwardedForNatively() {
		return false;
	}

}
