package io.securenn.testutil;

import io.securenn.ring.ZpWire;
import io.securenn.runtime.DReluForm;
import io.securenn.runtime.SessionParams;

/** Session parameters the tests run with: the defaults in either DReLU form and either Z_67 wire format. */
public final class Sessions {
    private Sessions() {}

    /** The defaults with the paper's DReLU (ShareConvert then ComputeMSB). */
    public static SessionParams paper() {
        return of(DReluForm.PAPER);
    }

    /** The defaults with the masked-reveal DReLU (the default form). */
    public static SessionParams masked() {
        return of(DReluForm.MASKED);
    }

    public static SessionParams of(DReluForm form) {
        return SessionParams.defaults().withDReluForm(form);
    }

    public static SessionParams of(ZpWire wire, DReluForm form) {
        return SessionParams.defaults().withZpWire(wire).withDReluForm(form);
    }
}
