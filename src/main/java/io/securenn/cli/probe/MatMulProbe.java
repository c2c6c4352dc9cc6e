package io.securenn.cli.probe;

import io.securenn.SecureNnException;
import io.securenn.protocol.matmul.MatMul;
import io.securenn.runtime.PartyContext;
import io.securenn.runtime.SessionParams;

import java.util.List;

/** {@code op matmul}: matrix product A (m×n) · B (n×v) with a Beaver matrix triple (spec §2.1). */
final class MatMulProbe implements ProbeOperation {
    @Override
    public String name() {
        return "matmul";
    }

    @Override
    public String summary() {
        return "matrix product A (m x n) times B (n x v)";
    }

    @Override
    public int arity() {
        return 2;
    }

    @Override
    public Shape resultShape(Shape[] in, ProbeOptions o) {
        if (in[0].cols() != in[1].rows()) {
            throw SecureNnException.badInput("matmul needs the columns of A to match the rows of B, got " + in[0]
                    + " times " + in[1]);
        }
        return new Shape(in[0].rows(), in[1].cols());
    }

    @Override
    public List<String> checkDomain(long[][] x, Shape[] s, ProbeOptions o) {
        if (o.raw()) return List.of();
        return FixedDomain.truncationWarning(
                FixedDomain.checkMatrixProduct(x[0], x[1], s[0].rows(), s[0].cols(), s[1].cols()));
    }

    @Override
    public long[] run(PartyContext ctx, long[][] x, Shape[] s, ProbeOptions o, Measured measured) {
        int m = s[0].rows(), n = s[0].cols(), v = s[1].cols();
        return measured.protocol(() -> o.raw() ? MatMul.product(ctx, x[0], x[1], m, n, v)
                : MatMul.productFixed(ctx, x[0], x[1], m, n, v));
    }

    @Override
    public long formulaBytes(Shape[] in, ProbeOptions o, SessionParams session) {
        return MatMul.bytes(in[0].rows(), in[0].cols(), in[1].cols());
    }

    @Override
    public int formulaRounds(Shape[] in, ProbeOptions o, SessionParams session) {
        return MatMul.rounds();
    }
}
