package app.parley;

import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackages;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.lang.reflect.AccessibleObject;

/** The layer rules of STYLE.md, enforced on production classes so a wrong import fails the build. */
@AnalyzeClasses(packages = "app.parley", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    private static final String[] SOCKET_LIBRARIES = {"io.socket..", "com.corundumstudio..", "io.netty.."};
    private static final String[] UI_AND_SOCKET_LIBRARIES = {
        "javafx..", "io.socket..", "com.corundumstudio..", "io.netty.."
    };
    /** Where Parley bends its socket libraries (docs/ARCHITECTURE.md, "Where the library patches live"). */
    private static final String[] PATCH_ROOMS = {"app.parley.engine.patch..", "app.parley.join.patch.."};
    /**
     * The libraries' implementation packages. socket.io-client-java's public API stays open to join/:
     * io.socket.client (IO, Socket, Manager, Ack and the options, whose transport and factory fields
     * it inherits from engine.io-client's Socket.Options), io.socket.emitter, and io.socket.parser,
     * whose Packet is what Manager's public EVENT_PACKET hands its listeners. So does
     * netty-socketio's: its root package (SocketIOServer, SocketIOClient, Configuration, AckRequest,
     * the initializer a pipeline extends), listener and protocol (JsonSupport is a configuration option).
     */
    private static final String[] LIBRARY_IMPLEMENTATIONS = {
        "io.socket.engineio.client..",
        "io.socket.thread..",
        "com.corundumstudio.socketio.handler..",
        "com.corundumstudio.socketio.transport..",
        "com.corundumstudio.socketio.namespace..",
        "com.corundumstudio.socketio.scheduler..",
        "com.corundumstudio.socketio.ack.."
    };

    @ArchTest
    static final ArchRule protocolAndSessionUseNoUiOrSocketLibrary = noClasses()
            .that()
            .resideInAnyPackage("app.parley.protocol..", "app.parley.session..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(UI_AND_SOCKET_LIBRARIES)
            .because("the wire contract and the session API must work with any UI and any socket library");

    @ArchTest
    static final ArchRule uiNeverTouchesTheSocketLibraries = noClasses()
            .that()
            .resideInAPackage("app.parley.ui..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(SOCKET_LIBRARIES)
            .because("views talk to a ChatSession, never to a socket");

    @ArchTest
    static final ArchRule uiBuildsOnlyOnSessionProtocolAndSettings = noClasses()
            .that()
            .resideInAPackage("app.parley.ui..")
            .and()
            .resideOutsideOfPackage("app.parley.ui.workbench..")
            .should()
            .dependOnClassesThat(resideInAPackage("app.parley..")
                    .and(resideOutsideOfPackages(
                            "app.parley.ui..",
                            "app.parley.session..",
                            "app.parley.protocol..",
                            "app.parley.settings..",
                            "app.parley.sockets..")))
            .because("a window sees one conversation API, whichever way in (host or join) made it, and a"
                    + " host's window its socket inventory, a read model with no socket library");

    @ArchTest
    static final ArchRule workbenchViewsBuildOnlyOnTheWorkbenchModel = noClasses()
            .that()
            .resideInAPackage("app.parley.ui.workbench..")
            .should()
            .dependOnClassesThat(resideInAPackage("app.parley..")
                    .and(resideOutsideOfPackages("app.parley.ui..", "app.parley.workbench..", "app.parley.protocol..")))
            .because("the workbench window shows a WorkbenchConnection's log; it never sees a chat session");

    @ArchTest
    static final ArchRule workbenchModelUsesNoUi = noClasses()
            .that()
            .resideInAPackage("app.parley.workbench..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("javafx..", "app.parley.ui..")
            .because("the workbench's connections, log entries, export and saved items are tested without a stage");

    @ArchTest
    static final ArchRule workbenchModelBuildsOnlyOnProtocolAndTheClientPatches = noClasses()
            .that()
            .resideInAPackage("app.parley.workbench..")
            .should()
            .dependOnClassesThat(resideInAPackage("app.parley..")
                    .and(resideOutsideOfPackages(
                            "app.parley.workbench..", "app.parley.protocol..", "app.parley.join.patch..")))
            .because("the workbench speaks raw Socket.IO to any server: no chat session, no host");

    @ArchTest
    static final ArchRule sessionBuildsOnlyOnProtocol = noClasses()
            .that()
            .resideInAPackage("app.parley.session..")
            .should()
            .dependOnClassesThat(resideInAPackage("app.parley..")
                    .and(resideOutsideOfPackages(
                            "app.parley.session..", "app.parley.protocol..", "app.parley.sockets..")))
            .because("the conversation API is the contract host/ and join/ implement and ui/ uses; a hosted"
                    + " session also hands out the host's socket inventory, a leaf read model");

    @ArchTest
    static final ArchRule storeDependsOnNoOtherParleyPackage = noClasses()
            .that()
            .resideInAPackage("app.parley.store..")
            .should()
            .dependOnClassesThat(resideInAPackage("app.parley..").and(resideOutsideOfPackage("app.parley.store..")))
            .because("the history database is a leaf host/ builds on, testable with a file alone");

    @ArchTest
    static final ArchRule clusterDependsOnNoOtherParleyPackage = noClasses()
            .that()
            .resideInAPackage("app.parley.cluster..")
            .should()
            .dependOnClassesThat(resideInAPackage("app.parley..").and(resideOutsideOfPackage("app.parley.cluster..")))
            .orShould()
            .dependOnClassesThat()
            .resideInAnyPackage(UI_AND_SOCKET_LIBRARIES)
            .because("the cluster adapter speaks Redis and the adapters' wire format; what a host's sockets"
                    + " do with a message is host/'s, through ClusterHandler");

    @ArchTest
    static final ArchRule storeUsesNoUiOrSocketLibrary = noClasses()
            .that()
            .resideInAPackage("app.parley.store..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(UI_AND_SOCKET_LIBRARIES)
            .because("STYLE.md: store/ imports no JavaFX and no socket library");

    @ArchTest
    static final ArchRule socketInventoryIsALeaf = noClasses()
            .that()
            .resideInAPackage("app.parley.sockets..")
            .should()
            .dependOnClassesThat(resideInAPackage("app.parley..").and(resideOutsideOfPackage("app.parley.sockets..")))
            .orShould()
            .dependOnClassesThat()
            .resideInAnyPackage(UI_AND_SOCKET_LIBRARIES)
            .because("the socket inventory is a read model the Admin UI protocol and a window's pane share:"
                    + " no socket library, no UI, no host internals");

    @ArchTest
    static final ArchRule protocolDependsOnNoOtherParleyPackage = noClasses()
            .that()
            .resideInAPackage("app.parley.protocol..")
            .should()
            .dependOnClassesThat(resideInAPackage("app.parley..").and(resideOutsideOfPackage("app.parley.protocol..")))
            .because("protocol/ is the bottom layer every other package builds on");

    @ArchTest
    static final ArchRule engineKnowsNothingOfChat = noClasses()
            .that()
            .resideInAPackage("app.parley.engine..")
            .should()
            .dependOnClassesThat(resideInAPackage("app.parley..").and(resideOutsideOfPackage("app.parley.engine..")))
            .because("the server engine is tested bare against the Engine.IO/Socket.IO specifications");

    @ArchTest
    static final ArchRule onlyDiscoveryUsesJmdns = noClasses()
            .that()
            .resideOutsideOfPackages("app.parley.discovery..", "app.parley.app..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("javax.jmdns..")
            .because("multicast DNS is discovery/'s business; hosts and windows use Advertiser and Browser");

    @ArchTest
    static final ArchRule onlyTheDiscoveryPatchRoomUsesJmdnsImplementation = noClasses()
            .that()
            .resideOutsideOfPackage("app.parley.discovery.patch..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("javax.jmdns.impl..")
            .because("JmDNS's implementation classes change in any release; the one bend lives in"
                    + " discovery.patch, written against one version");

    @ArchTest
    static final ArchRule discoveryBuildsOnlyOnSession = noClasses()
            .that()
            .resideInAPackage("app.parley.discovery..")
            .should()
            .dependOnClassesThat(resideInAPackage("app.parley..")
                    .and(resideOutsideOfPackages("app.parley.discovery..", "app.parley.session..")))
            .because("finding hosts knows nothing of chat: it hands the window NearbySessions and nothing else");

    @ArchTest
    static final ArchRule noLibraryInternals = noClasses()
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("io.netty..internal..", "io.socket..internal..")
            .because("a library's internal packages may change in any release; Parley uses their public API");

    @ArchTest
    static final ArchRule onlyPatchRoomsOpenPrivateMembers = noClasses()
            .that()
            .resideOutsideOfPackages(PATCH_ROOMS)
            .should()
            .callMethodWhere(target(owner(assignableTo(AccessibleObject.class)))
                    .and(target(nameMatching("setAccessible|trySetAccessible"))))
            .because("reading a library's private fields is a patch: it belongs in the library's patch room,"
                    + " which an upgrade checks");

    @ArchTest
    static final ArchRule onlyPatchRoomsUseLibraryImplementations = noClasses()
            .that()
            .resideOutsideOfPackages(PATCH_ROOMS)
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(LIBRARY_IMPLEMENTATIONS)
            .because("a library's implementation classes change in any release; what Parley builds on them"
                    + " lives in that library's patch room, written against one version (the client's options"
                    + " it inherits from engine.io-client, its emitter and parser are public API and stay open)");
}
