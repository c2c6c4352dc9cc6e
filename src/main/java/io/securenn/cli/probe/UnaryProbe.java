package io.securenn.cli.probe;

/** An operation on one input whose result has the input's shape (one result per element). */
abstract class UnaryProbe implements ProbeOperation {
    private final String name, summary;

    UnaryProbe(String name, String summary) {
        this.name = name;
        this.summary = summary;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String summary() {
        return summary;
    }

    @Override
    public final int arity() {
        return 1;
    }

    @Override
    public Shape resultShape(Shape[] in, ProbeOptions o) {
        return in[0];
    }
}
