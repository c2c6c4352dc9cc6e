package io.securenn.nn;

import java.util.Arrays;

/** A trainable tensor of a layer (weights or bias): a name, a shape and its current value handle. */
public final class Parameter<V> {
    private final String name;
    private final int[] shape;
    private V value;
    private Parameter<V> velocity;
    private Parameter<V> master;

    public Parameter(String name, int[] shape, V value) {
        this.name = name;
        this.shape = shape.clone();
        this.value = value;
    }

    public String name() {
        return name;
    }

    public int[] shape() {
        return shape.clone();
    }

    public int size() {
        return Arrays.stream(shape).reduce(1, Math::multiplyExact);
    }

    public V value() {
        return value;
    }

    public void set(V v) {
        this.value = v;
    }

    /** SGD momentum's running step for this parameter, or null without momentum. */
    public Parameter<V> velocity() {
        return velocity;
    }

    /** Starts a zero velocity (computed locally as w − w, so a secure backend needs no communication). */
    public void startVelocity(Backend<V> be) {
        if (velocity == null) velocity = new Parameter<>(name + ".v", shape, be.sub(value, value));
    }

    /** The value with {@code masterBits} more fractional bits that SGD updates (null without master weights). */
    public Parameter<V> master() {
        return master;
    }

    /** Starts the master copy, value·2^bits, by local doublings (no communication in a secure backend). */
    public void startMaster(Backend<V> be, int bits) {
        if (master != null) return;
        V m = value;
        for (int i = 0; i < bits; i++) m = be.add(m, m);
        master = new Parameter<>(name + ".master", shape, m);
    }
}
