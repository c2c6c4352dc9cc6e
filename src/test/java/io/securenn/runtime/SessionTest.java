package io.securenn.runtime;

import io.securenn.SecureNnException;
import io.securenn.ring.ZpWire;
import io.securenn.transport.FramedTransport;
import io.securenn.transport.InMemoryTransports;
import io.securenn.transport.PeerFailure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(30)
class SessionTest {

    static final SessionParams DEFAULTS = SessionParams.defaults();

    @Test
    void theJobHashCoversEverySessionParameter() {
        SessionParams bytes = DEFAULTS.withZpWire(ZpWire.BYTE), packed = DEFAULTS.withZpWire(ZpWire.PACKED7);
        assertThat(Session.jobHash("op mul", "raw=false", bytes))
                .isNotEqualTo(Session.jobHash("op mul", "raw=false", packed));
        assertThat(Session.jobHash("op mul", "raw=false", bytes))
                .isEqualTo(Session.jobHash("op mul", "raw=false", DEFAULTS.withZpWire(ZpWire.BYTE)));
        // the chunk sizes decide the frames' sizes, so they are covered too
        assertThat(Session.jobHash("op mul", "raw=false", DEFAULTS.withFrameLongs(5)))
                .isNotEqualTo(Session.jobHash("op mul", "raw=false", DEFAULTS));
        assertThat(Session.jobHash("op mul", "raw=false", DEFAULTS.withChunkElements(7)))
                .isNotEqualTo(Session.jobHash("op mul", "raw=false", DEFAULTS));
        assertThat(Session.jobHash("op mul", "raw=false", DEFAULTS))
                .isNotEqualTo(Session.jobHash("op mul", "raw=true", DEFAULTS));
        // the DReLU form decides every message of a DReLU
        assertThat(Session.jobHash("op mul", "raw=false", DEFAULTS.withDReluForm(DReluForm.PAPER)))
                .isNotEqualTo(Session.jobHash("op mul", "raw=false", DEFAULTS));
        assertThat(DEFAULTS.dreluForm()).isEqualTo(DReluForm.MASKED);
    }

    @Test
    void sessionParamsRefuseNonPositiveChunkSizes() {
        assertThatThrownBy(() -> DEFAULTS.withFrameLongs(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DEFAULTS.withChunkElements(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DEFAULTS.withZpWire(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> DEFAULTS.withDReluForm(null)).isInstanceOf(NullPointerException.class);
    }

    /** Runs Session.establish at the three parties, each on its own thread, with the given session parameters. */
    private static List<Future<PartyContext>> establish(FramedTransport[] t, SessionParams[] session,
                                                        ExecutorService pool) {
        List<Future<PartyContext>> f = new java.util.ArrayList<>();
        for (int p = 0; p < 3; p++) {
            int me = p;
            f.add(pool.submit(() -> Session.establish(t[me], "op drelu", "raw=false", session[me])));
        }
        return f;
    }

    @Test
    void partiesWithDifferentZ67FormatsRefuseEachOtherAtSetUp() throws Exception {
        // P0 packs Z_67 values in 7 bits, P1 and P2 send one byte each: same command and parameters otherwise
        refuseEachOther(DEFAULTS.withZpWire(ZpWire.PACKED7), DEFAULTS.withZpWire(ZpWire.BYTE));
    }

    @Test
    void partiesWithDifferentDReluFormsRefuseEachOtherAtSetUp() throws Exception {
        refuseEachOther(DEFAULTS.withDReluForm(DReluForm.PAPER), DEFAULTS);
    }

    @Test
    void partiesWithDifferentChunkSizesRefuseEachOtherAtSetUp() throws Exception {
        refuseEachOther(DEFAULTS, DEFAULTS.withFrameLongs(5));
        refuseEachOther(DEFAULTS.withChunkElements(7), DEFAULTS);
    }

    /** P0 with a, P1 and P2 with b: every party fails at set-up, naming the mismatch, before any protocol frame. */
    private static void refuseEachOther(SessionParams a, SessionParams b) throws Exception {
        FramedTransport[] t = InMemoryTransports.create();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<PartyContext>> f = establish(t, new SessionParams[] {a, b, b}, pool);
            for (int p = 0; p < 3; p++) {
                int me = p;
                Throwable e = org.assertj.core.api.Assertions.catchThrowable(() -> f.get(me).get(20, TimeUnit.SECONDS));
                assertThat(e).as("P" + p).isInstanceOf(ExecutionException.class);
                assertThat(e.getCause()).as("P" + p).isInstanceOf(PeerFailure.class);
                PeerFailure pf = (PeerFailure) e.getCause();
                assertThat(pf.kind()).as("P" + p).isEqualTo(SecureNnException.Kind.BAD_INPUT);
                assertThat(pf.getMessage()).as("P" + p).containsPattern("Z_67 wire formats?")
                        .doesNotContain("frame").doesNotContain("bytes");
            }
        } finally {
            pool.shutdownNow();
            for (var x : t) x.close();
        }
    }

    @Test
    void partiesWithTheSameParamsAgreeAndTheirContextsCarryThem() throws Exception {
        for (ZpWire w : ZpWire.values()) {
            SessionParams s = DEFAULTS.withZpWire(w).withChunkElements(7).withFrameLongs(5);
            FramedTransport[] t = InMemoryTransports.create();
            ExecutorService pool = Executors.newFixedThreadPool(3);
            try {
                List<Future<PartyContext>> f = establish(t, new SessionParams[] {s, s, s}, pool);
                for (int p = 0; p < 3; p++) {
                    PartyContext ctx = f.get(p).get(20, TimeUnit.SECONDS);
                    assertThat(ctx.id()).isEqualTo(p);
                    assertThat(ctx.params()).isEqualTo(s);
                }
                // a clean close waits for the peers' BYE: close the three at once
                List<Future<?>> closed = new java.util.ArrayList<>();
                for (var x : t) closed.add(pool.submit(x::close));
                for (var c : closed) c.get(20, TimeUnit.SECONDS);
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
