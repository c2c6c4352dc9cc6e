package io.securenn.protocol;

import io.securenn.SecureNnException;
import io.securenn.protocol.computemsb.ComputeMSB;
import io.securenn.protocol.division.Division;
import io.securenn.protocol.drelu.DReLU;
import io.securenn.protocol.maxpool.MaxPool;
import io.securenn.protocol.relu.ReLU;
import io.securenn.protocol.selectshare.SelectShare;
import io.securenn.protocol.shareconvert.ShareConvert;
import io.securenn.runtime.LocalCluster;
import io.securenn.runtime.PartyContext;
import org.junit.jupiter.api.Test;

import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A share of the wrong length is a one-line error naming the protocol, not a hang or an index exception. */
class InputChecksTest {

    static void refused(Function<PartyContext, Object> job, String protocol) {
        assertThatThrownBy(() -> LocalCluster.run(job)).isInstanceOf(SecureNnException.class)
                .hasMessageContaining(protocol)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    static long[] wrong(PartyContext ctx) {
        return ctx.isHelper() ? null : new long[ctx.id() == 0 ? 3 : 4];   // P1 passes one element too many
    }

    @Test
    void sharesOfTheWrongLengthAreRefused() {
        refused(ctx -> ShareConvert.run(ctx, wrong(ctx), 3), "ShareConvert");
        refused(ctx -> ComputeMSB.run(ctx, wrong(ctx), 3), "ComputeMSB");
        refused(ctx -> DReLU.run(ctx, wrong(ctx), 3), "DReLU");
        refused(ctx -> ReLU.run(ctx, wrong(ctx), 3), "ReLU");
        refused(ctx -> SelectShare.run(ctx, wrong(ctx), wrong(ctx), wrong(ctx), 3), "SelectShare");
        refused(ctx -> MaxPool.run(ctx, wrong(ctx), 1, 3, MaxPool.Form.TOURNAMENT), "MaxPool");
        refused(ctx -> Division.run(ctx, wrong(ctx), wrong(ctx), 3), "Division");
    }

    @Test
    void emptyInputsCostNothing() {
        var res = LocalCluster.run(ctx -> {
            long[] none = ctx.isHelper() ? null : new long[0];
            DReLU.run(ctx, none, 0);
            ReLU.run(ctx, none, 0);
            ShareConvert.run(ctx, none, 0);
            MaxPool.run(ctx, none, 0, 4, MaxPool.Form.SEQUENTIAL);
            Division.run(ctx, none, none, 0);
            return ctx.stats().bytesSent();
        });
        for (int p = 0; p < 3; p++) assertThat(res.of(p)).isZero();
    }
}
