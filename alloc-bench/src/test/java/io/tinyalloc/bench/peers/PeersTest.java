package io.tinyalloc.bench.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

class PeersTest {

    @Test
    void shouldRejectAnUnknownPeerNamingTheKnownOnes() {
        assertThatThrownBy(() -> Peers.create("tcmalloc")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("name=tcmalloc").hasMessageContaining("glibc");
    }

    @Test
    void shouldSayHowToInstallAMissingLibrary() {
        PeerLibrary missing = new PeerLibrary("nomalloc", "libnomalloc.so.9", "apt-get install libnomalloc9",
                "tinyalloc.bench.nomalloc");

        assertThat(missing.notInstalledLine()).contains("nomalloc not installed: apt-get install libnomalloc9");
    }

    @Test
    void shouldRefuseJemallocInAJvmThatDidNotPreloadIt() {
        assumeTrue(PeerLibrary.JEMALLOC.locate().isPresent(), "jemalloc not installed");
        assumeTrue(!PeerLibrary.JEMALLOC.isPreloaded(), "this JVM preloaded jemalloc");

        assertThatThrownBy(() -> Peers.create("jemalloc")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("LD_PRELOAD=");
        assertThat(Peers.needsPreload("jemalloc")).contains(PeerLibrary.JEMALLOC);
        assertThat(PeerLibrary.JEMALLOC.preloadEnvironment().get("LD_PRELOAD")).endsWith("libjemalloc.so.2");
    }

    @Test
    void shouldNeedNoPreloadForGlibcAndMimalloc() {
        assertThat(Peers.needsPreload("glibc")).isEmpty();
        assertThat(Peers.needsPreload("mimalloc")).isEmpty();
        assertThat(Peers.notInstalledLine("glibc")).isEmpty();
    }
}
