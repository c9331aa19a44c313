package app.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RendererTest {
    @TempDir
    Path dev;

    @Test
    void noDriDirectoryMeansNoGpu() {
        assertThat(Renderer.hasGpuDevice(dev)).isFalse();
    }

    @Test
    void aDriDirectoryWithoutCardsMeansNoGpu() throws Exception {
        Files.createDirectories(dev.resolve("dri/by-path"));
        assertThat(Renderer.hasGpuDevice(dev)).isFalse();
    }

    @Test
    void aRenderNodeOrACardIsAGpu() throws Exception {
        Files.createDirectories(dev.resolve("dri"));
        Files.createFile(dev.resolve("dri/renderD128"));
        assertThat(Renderer.hasGpuDevice(dev)).isTrue();
        Files.delete(dev.resolve("dri/renderD128"));
        Files.createFile(dev.resolve("dri/card0"));
        assertThat(Renderer.hasGpuDevice(dev)).isTrue();
    }

    @Test
    void nvidiasDeviceIsAGpu() throws Exception {
        Files.createFile(dev.resolve("nvidiactl"));
        assertThat(Renderer.hasGpuDevice(dev)).isTrue();
    }
}
