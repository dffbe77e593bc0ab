/**
 * The shared behaviour tests of {@code autobahn-spring-boot-test-support}, run on Tomcat.
 * <p>
 * Convention: for each behaviour test class {@code FooTests} there (same package) this
 * module has {@code class TomcatFooTests extends FooTests {}} and nothing else. The
 * shared test is never copied or weakened here; where Tomcat cannot honour a setting, the
 * README says so and {@link io.autobahn.spring.websocket.behaviour.TomcatStackProfile}
 * tells the shared tests, which assert what Tomcat does. {@code TomcatServerTests} guards
 * that the module really runs on Tomcat.
 */
package io.autobahn.spring.websocket.behaviour;
