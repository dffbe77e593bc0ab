package io.autobahn.spring.websocket.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test as a conformance case: one edge of RFC 6455 or RFC 7692 the starter must
 * get right on every stack. Its result, with the section it checks and what the server
 * was seen doing, goes into the run's {@link ConformanceReport}.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(ConformanceReport.class)
public @interface Conformance {

	/**
	 * The section the case checks, such as {@code "RFC 6455 5.5.2"}.
	 * @return the section
	 */
	String value();

}
