package io.securenn.transport.tls;

import io.securenn.transport.Poller;

import java.io.IOException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The {@link Poller} of one party's TLS links: one selector over their (non-blocking) channels; a poll reads, on
 * the calling thread, every frame that has arrived on a link that has bytes ({@link TlsLink#readAvailable}).
 * A link whose inbound side has ended is no longer watched.
 */
final class LinkPoller implements Poller {
    private final Selector selector;

    LinkPoller() throws IOException {
        this.selector = Selector.open();
    }

    /** Watches a link (after {@link TlsLink#prepare}). */
    void register(TlsLink link) throws IOException {
        link.wire().channel.register(selector, SelectionKey.OP_READ, link);
    }

    @Override
    public void poll(long nanos) {
        long ms = Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos));
        try {
            selector.select(k -> {
                if (k.isValid() && k.isReadable() && !((TlsLink) k.attachment()).readAvailable()) k.cancel();
            }, ms);
        } catch (ClosedSelectorException e) {
            LockSupport.parkNanos(nanos);   // closed: the transport is ending; never spin
        } catch (IOException e) {
            LockSupport.parkNanos(nanos);
        }
    }

    @Override
    public void wakeup() {
        selector.wakeup();
    }

    @Override
    public void close() {
        try {
            selector.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
