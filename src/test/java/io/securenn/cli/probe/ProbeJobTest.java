package io.securenn.cli.probe;

import io.securenn.protocol.sharing.Sharing;
import io.securenn.runtime.SessionParams;
import io.securenn.runtime.LocalCluster;
import io.securenn.runtime.PartyContext;
import io.securenn.testutil.Seeded;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(30)
class ProbeJobTest {

    /** x + c with x shared and c public to P0 and P1: exercises the PUBLIC_TO_HOLDERS input path. */
    static final class AddPublic implements ProbeOperation {
        long[][] seenAtP2;

        public String name() { return "addpublic"; }
        public String summary() { return "test"; }
        public int arity() { return 2; }

        @Override
        public InputKind inputKind(int input) {
            return input == 0 ? InputKind.SHARED : InputKind.PUBLIC_TO_HOLDERS;
        }

        public Shape resultShape(Shape[] in, ProbeOptions o) { return in[0]; }

        public long[] run(PartyContext ctx, long[][] x, Shape[] s, ProbeOptions o, Measured measured) {
            return measured.protocol(() -> {
                if (ctx.isHelper()) {
                    seenAtP2 = x;
                    return new long[0];
                }
                long[] r = x[0].clone();
                Sharing.addPublic(ctx, r, x[1]);
                return r;
            });
        }

        public long formulaBytes(Shape[] in, ProbeOptions o, SessionParams session) { return 0; }
        public int formulaRounds(Shape[] in, ProbeOptions o, SessionParams session) { return 0; }
    }

    @Test
    void publicInputsReachBothHoldersAndNotTheHelper() {
        Seeded s = Seeded.fromEnvOr(5);
        long[] x = s.longs(6), c = s.longs(6);
        AddPublic op = new AddPublic();
        Shape[] shapes = {new Shape(2, 3), new Shape(2, 3)};
        var res = LocalCluster.run(ctx -> ProbeJob.run(ctx, op, new ProbeOptions(true, null),
                ctx.id() == 0 ? new long[][] {x, c} : null, ctx.id() == 0 ? shapes : null));
        ProbeJob.Outcome p0 = res.of(0);
        for (int i = 0; i < 6; i++) assertThat(p0.result()[i]).as(s.msg("element " + i)).isEqualTo(x[i] + c[i]);
        assertThat(op.seenAtP2[0]).isEmpty();
        assertThat(op.seenAtP2[1]).isEmpty();
        // P0's input bytes: shapes (4 longs) to P1 and P2, plus the 6 public values to P1
        assertThat(p0.costs()[0].ioBytes()).isEqualTo((4 + 4 + 6) * 8L);
        assertThat(p0.costs()[1].ioBytes()).isEqualTo(6 * 8L); // P1 reveals its share of the result
        assertThat(p0.costs()[2].ioBytes()).isZero();
        for (ProbeJob.Cost cost : p0.costs()) {
            assertThat(cost.protocolBytes()).isZero();
            assertThat(cost.rounds()).isZero();
        }
    }
}
