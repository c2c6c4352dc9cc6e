package io.securenn.cli.probe;

import io.securenn.protocol.matmul.MatMul;
import io.securenn.runtime.PartyContext;
import io.securenn.runtime.SessionParams;

import java.util.List;

/** {@code op mul}: element-wise product (Beaver triples; fixed point truncated by 13, raw exact). */
final class MulProbe implements ProbeOperation {
    @Override
    public String name() {
        return "mul";
    }

    @Override
    public String summary() {
        return "element-wise product of two inputs of the same shape";
    }

    @Override
    public int arity() {
        return 2;
    }

    @Override
    public Shape resultShape(Shape[] in, ProbeOptions o) {
        return Shape.requireSame(in, "mul", "two inputs");
    }

    @Override
    public List<String> checkDomain(long[][] x, Shape[] shapes, ProbeOptions o) {
        if (o.raw()) return List.of();
        return FixedDomain.truncationWarning(FixedDomain.checkProducts(x[0], x[1], shapes[0].cols()));
    }

    @Override
    public long[] run(PartyContext ctx, long[][] x, Shape[] shapes, ProbeOptions o, Measured measured) {
        int len = shapes[0].size();
        return measured.protocol(() -> o.raw() ? MatMul.hadamard(ctx, x[0], x[1], len)
                : MatMul.hadamardFixed(ctx, x[0], x[1], len));
    }

    @Override
    public long formulaBytes(Shape[] in, ProbeOptions o, SessionParams session) {
        return MatMul.hadamardBytes(in[0].size());
    }

    @Override
    public int formulaRounds(Shape[] in, ProbeOptions o, SessionParams session) {
        return MatMul.rounds();
    }
}
