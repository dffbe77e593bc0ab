/**
 * The README's code examples, verbatim: {@code ReadmeCodeTests} checks that the README
 * shows exactly these classes (without their package and import lines), and
 * {@code ReadmeExamplesTests} runs them on every stack, so that the examples cannot rot.
 * The README's test example {@code ChatEndpointTests} is here too, with the application
 * it finds ({@code ReadmeApplication}), and runs through a subclass in each stack module.
 * Edit an example here and in the README together.
 */
package io.autobahn.spring.websocket.readme;
