package app.parley.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Picks JavaFX's renderer before the toolkit starts. On Linux with no GPU device (no
 * {@code /dev/dri} entry, no NVIDIA device: a virtual machine, a remote desktop, Xvfb), OpenGL can
 * only be Mesa's software renderer, which JavaFX loads, then refuses ("System GPU doesn't meet the
 * es2 pipe requirement"), and draws in software all the same, having loaded Mesa's LLVM for as
 * long as the app runs. There Parley asks for the software renderer directly. Where there is a
 * GPU, or where {@code prism.order} was given, nothing changes.
 *
 * <p>GTK makes the same probe when it opens the display, unless {@code GDK_GL=disable} is in the
 * environment; JavaFX never uses GTK's OpenGL, so the menu entry and the {@code parley} command
 * set it (jpackage/linux). What both save is in docs/PERFORMANCE.md ("Measured in the code").
 */
final class Renderer {
    static final String PRISM_ORDER = "prism.order";

    private Renderer() {}

    /** Sets {@code prism.order=sw} when on Linux with no GPU device and no renderer chosen. */
    static void chooseForThisMachine() {
        if (System.getProperty(PRISM_ORDER) == null && isLinux() && !hasGpuDevice(Path.of("/dev"))) {
            System.setProperty(PRISM_ORDER, "sw");
        }
    }

    static boolean isLinux() {
        return System.getProperty("os.name", "")
                .toLowerCase(java.util.Locale.ROOT)
                .startsWith("linux");
    }

    /** Whether {@code dev} holds a device a GPU driver renders through (DRM nodes, or NVIDIA's). */
    static boolean hasGpuDevice(Path dev) {
        if (Files.exists(dev.resolve("nvidiactl")) || Files.exists(dev.resolve("nvidia0"))) {
            return true;
        }
        Path dri = dev.resolve("dri");
        if (!Files.isDirectory(dri)) {
            return false;
        }
        try (Stream<Path> nodes = Files.list(dri)) {
            return nodes.map(p -> p.getFileName().toString())
                    .anyMatch(name -> name.startsWith("card") || name.startsWith("renderD"));
        } catch (IOException | SecurityException e) {
            return true; // cannot tell: leave JavaFX's own choice alone
        }
    }
}
