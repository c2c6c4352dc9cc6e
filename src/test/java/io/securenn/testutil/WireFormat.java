package io.securenn.testutil;

import io.securenn.ring.ZpWire;

import java.util.function.Supplier;

/** Runs a body with a given Z_67 wire format and restores the previous one (tests run one class at a time). */
public final class WireFormat {
    private WireFormat() {}

    public static <T> T with(ZpWire w, Supplier<T> body) {
        ZpWire before = ZpWire.current();
        ZpWire.setCurrent(w);
        try {
            return body.get();
        } finally {
            ZpWire.setCurrent(before);
        }
    }
}
