/**
 * The servlet stack adapter (Spring MVC and spring-websocket on Tomcat or Jetty).
 */
@NullMarked
package io.autobahn.spring.websocket.servlet;

import org.jspecify.annotations.NullMarked;
