package io.autobahn.spring.websocket.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The layering of the main code, as CONTRIBUTING.md's package table describes it: the API
 * imports nothing of the starter but the internal bridge; {@code internal} imports
 * nothing of the starter; {@code core} (the engine and the endpoint model) imports
 * neither an adapter nor the handshake code; {@code handshake} imports no engine; the
 * servlet and reactive adapters do not import each other; only the auto-configuration
 * imports {@code autoconfigure}; the client side ({@code client}) imports no adapter
 * (Reactor Netty's client transport lives in {@code reactive} and implements the client's
 * interface); the meters ({@code metrics}) import only the engine, the Actuator endpoint
 * ({@code actuate}) and the cluster link ({@code cluster}) only the API and the engine,
 * and the engine imports neither them nor Micrometer or Actuator; and no two packages
 * depend on each other.
 */
class ArchitectureTests {

	private static final String ROOT = "io.autobahn.spring.websocket";

	private static final JavaClasses CLASSES = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
		.importPackages(ROOT);

	@Test
	void apiImportsNothingOfTheStarterButTheInternalBridge() {
		noClasses().that()
			.resideInAPackage(ROOT)
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(ROOT + ".core..", ROOT + ".handshake..", ROOT + ".servlet..", ROOT + ".reactive..",
					ROOT + ".server..", ROOT + ".metrics..", ROOT + ".actuate..", ROOT + ".autoconfigure..")
			.check(CLASSES);
	}

	@Test
	void internalImportsNothingOfTheStarter() {
		noClasses().that()
			.resideInAPackage(ROOT + ".internal..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(ROOT, ROOT + ".core..", ROOT + ".handshake..", ROOT + ".servlet..",
					ROOT + ".reactive..", ROOT + ".server..", ROOT + ".autoconfigure..")
			.check(CLASSES);
	}

	@Test
	void coreImportsNoAdapterAndNoHandshake() {
		noClasses().that()
			.resideInAPackage(ROOT + ".core..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(ROOT + ".handshake..", ROOT + ".servlet..", ROOT + ".reactive..", ROOT + ".server..",
					ROOT + ".metrics..", ROOT + ".actuate..", ROOT + ".autoconfigure..")
			.check(CLASSES);
	}

	@Test
	void coreUsesNoSpringWebTypeAndNoMetricsLibrary() {
		noClasses().that()
			.resideInAPackage(ROOT + ".core..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework.web..", "org.springframework.http..", "jakarta.servlet..",
					"jakarta.websocket..", "reactor.netty..", "io.netty..", "org.eclipse.jetty..",
					"org.apache.tomcat..", "io.micrometer..", "org.springframework.boot.actuate..")
			.check(CLASSES);
	}

	@Test
	void handshakeImportsNoEngineAndNoAdapter() {
		noClasses().that()
			.resideInAPackage(ROOT + ".handshake..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(ROOT + ".core..", ROOT + ".servlet..", ROOT + ".reactive..", ROOT + ".server..",
					ROOT + ".autoconfigure..")
			.check(CLASSES);
	}

	@Test
	void servletAdapterDoesNotImportTheReactiveOneOrTheDedicatedPorts() {
		noClasses().that()
			.resideInAPackage(ROOT + ".servlet..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(ROOT + ".reactive..", ROOT + ".server..", ROOT + ".autoconfigure..")
			.check(CLASSES);
	}

	@Test
	void reactiveAdapterDoesNotImportTheServletOneOrTheDedicatedPorts() {
		noClasses().that()
			.resideInAPackage(ROOT + ".reactive..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(ROOT + ".servlet..", ROOT + ".server..", ROOT + ".autoconfigure..")
			.check(CLASSES);
	}

	@Test
	void dedicatedPortsImportNoServletAdapterAndNoAutoConfiguration() {
		noClasses().that()
			.resideInAPackage(ROOT + ".server..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(ROOT + ".servlet..", ROOT + ".autoconfigure..")
			.check(CLASSES);
	}

	@Test
	void clientImportsNoAdapterAndNoAutoConfiguration() {
		noClasses().that()
			.resideInAPackage(ROOT + ".client..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(ROOT + ".servlet..", ROOT + ".reactive..", ROOT + ".server..",
					ROOT + ".autoconfigure..", "reactor.netty..", "io.netty..")
			.check(CLASSES);
	}

	@Test
	void metersImportOnlyTheEngine() {
		noClasses().that()
			.resideInAPackage(ROOT + ".metrics..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(ROOT, ROOT + ".handshake..", ROOT + ".servlet..", ROOT + ".reactive..",
					ROOT + ".server..", ROOT + ".actuate..", ROOT + ".autoconfigure..")
			.check(CLASSES);
	}

	@Test
	void actuatorEndpointImportsOnlyTheApiAndTheEngine() {
		noClasses().that()
			.resideInAPackage(ROOT + ".actuate..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(ROOT + ".handshake..", ROOT + ".servlet..", ROOT + ".reactive..", ROOT + ".server..",
					ROOT + ".metrics..", ROOT + ".autoconfigure..")
			.check(CLASSES);
	}

	@Test
	void clusterLinkImportsNoAdapterNoHandshakeAndNoAutoConfiguration() {
		noClasses().that()
			.resideInAPackage(ROOT + ".cluster..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(ROOT + ".handshake..", ROOT + ".servlet..", ROOT + ".reactive..", ROOT + ".server..",
					ROOT + ".autoconfigure..")
			.check(CLASSES);
	}

	@Test
	void noCyclesBetweenPackages() {
		SlicesRuleDefinition.slices().matching(ROOT + ".(**)").should().beFreeOfCycles().check(CLASSES);
	}

}
