package io.securenn.runtime;

import io.securenn.SecureNnException;
import io.securenn.ring.ZpWire;
import io.securenn.testutil.WireFormat;
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

@Timeout(30)
class SessionTest {

    @Test
    void theJobHashCoversTheZ67WireFormat() {
        assertThat(Session.jobHash("op mul", "raw=false", ZpWire.BYTE))
                .isNotEqualTo(Session.jobHash("op mul", "raw=false", ZpWire.PACKED7));
        assertThat(Session.jobHash("op mul", "raw=false", ZpWire.BYTE))
                .isEqualTo(Session.jobHash("op mul", "raw=false", ZpWire.BYTE));
        // the public two-argument hash uses the process-wide format, so no caller can forget it
        for (ZpWire w : ZpWire.values()) {
            assertThat(WireFormat.with(w, () -> Session.jobHash("op mul", "raw=false")))
                    .isEqualTo(Session.jobHash("op mul", "raw=false", w));
        }
    }

    /** Runs Session.establish at the three parties, each on its own thread, with the given wire formats. */
    private static List<Future<PartyContext>> establish(FramedTransport[] t, ZpWire[] wire, ExecutorService pool) {
        List<Future<PartyContext>> f = new java.util.ArrayList<>();
        for (int p = 0; p < 3; p++) {
            int me = p;
            f.add(pool.submit(() -> Session.establish(t[me], "op drelu", "raw=false", wire[me])));
        }
        return f;
    }

    @Test
    void partiesWithDifferentZ67FormatsRefuseEachOtherAtSetUp() throws Exception {
        // P0 packs Z_67 values in 7 bits, P1 and P2 send one byte each: same command and parameters otherwise
        FramedTransport[] t = InMemoryTransports.create();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<PartyContext>> f = establish(t, new ZpWire[] {ZpWire.PACKED7, ZpWire.BYTE, ZpWire.BYTE}, pool);
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
    void partiesWithTheSameFormatAgree() throws Exception {
        for (ZpWire w : ZpWire.values()) {
            FramedTransport[] t = InMemoryTransports.create();
            ExecutorService pool = Executors.newFixedThreadPool(3);
            try {
                List<Future<PartyContext>> f = establish(t, new ZpWire[] {w, w, w}, pool);
                for (int p = 0; p < 3; p++) assertThat(f.get(p).get(20, TimeUnit.SECONDS).id()).isEqualTo(p);
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
