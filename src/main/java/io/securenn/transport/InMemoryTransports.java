package io.securenn.transport;

import java.time.Duration;

/** Three transports joined by in-memory links, for unit tests of protocols with all parties in one JVM. */
public final class InMemoryTransports {
    private InMemoryTransports() {}

    public static FramedTransport[] create(Duration idleTimeout) {
        FramedTransport[] t = new FramedTransport[3];
        for (int i = 0; i < 3; i++) t[i] = new FramedTransport(i, idleTimeout, FramedTransport.DEFAULT_MAX_FRAME);
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                if (i != j) t[i].attach(j, new MemoryLink(i, t[j]));
        for (FramedTransport x : t) x.start();
        return t;
    }

    public static FramedTransport[] create() {
        return create(FramedTransport.DEFAULT_IDLE_TIMEOUT);
    }

    /** Delivers straight into the peer's inbox; counts the bytes a framed wire would carry. */
    static final class MemoryLink implements Link {
        private final int from;
        private final FramedTransport to;
        private volatile boolean open = true;
        private long wire;

        MemoryLink(int from, FramedTransport to) {
            this.from = from;
            this.to = to;
        }

        @Override
        public synchronized void write(Frame frame) {
            if (!open) throw new IllegalStateException("link closed");
            wire += Frame.HEADER_BYTES + frame.payload().length;
            // copy, as a wire would: the receiver must not share an array with the sender
            to.deliver(from, new Frame(frame.type(), frame.seq(), frame.depth(), frame.payload().clone()));
        }

        @Override
        public void close() {
            if (!open) return;
            open = false;
            to.linkEnded(from, "connection closed");
        }

        @Override
        public synchronized long wireBytes() {
            return wire;
        }
    }
}
