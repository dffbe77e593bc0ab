/**
 * The shared behaviour tests of {@code autobahn-spring-boot-test-support}, run on Jetty.
 * <p>
 * Convention: for each behaviour test class {@code FooTests} there (same package) this
 * module has {@code class JettyFooTests extends FooTests {}} and nothing else. The shared
 * test is never copied or weakened here; where Jetty behaves differently, the main code
 * adapts (see {@code JettySessionTransport}); where Jetty cannot honour a setting, the
 * README says so and {@link io.autobahn.spring.websocket.behaviour.JettyStackProfile}
 * tells the shared tests, which assert what Jetty does. {@code JettyServerTests} guards
 * that the module really runs on Jetty.
 */
package io.autobahn.spring.websocket.behaviour;
