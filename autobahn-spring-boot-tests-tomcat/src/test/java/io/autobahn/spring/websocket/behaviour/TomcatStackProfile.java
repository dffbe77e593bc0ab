package io.autobahn.spring.websocket.test;

/**
 * Tomcat, the stack of the autoconfigure module's own test run (its build names this class in
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

}
