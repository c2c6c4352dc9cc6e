package io.securenn.cli;

import io.securenn.SecureNnException;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Plain TCP ({@code --tls-provider none}) would carry the pair keys, and so every share, in clear: only the
 * benchmark commands accept it (MultiProcessTest runs bench networks' party processes on it); every other command
 * refuses it with one line naming why, consent ({@code --insecure-plain-tcp}) or not, before it reads any input.
 */
@Timeout(60)
class PlainTcpRefusalTest {

    @ParameterizedTest
    @ValueSource(strings = {"train --network A", "train --network A --plaintext", "train --network B --party 1 --config c",
            "infer --network A --model m.snn", "demo", "op mul", "op matmul --party 2 --config c"})
    void everyCommandButTheBenchmarksRefusesPlainTcp(String command) {
        for (boolean consent : new boolean[] {true, false}) {
            List<String> args = new ArrayList<>(List.of(command.split(" ")));
            args.addAll(List.of("--tls-provider", "none"));
            if (consent) args.add("--insecure-plain-tcp");
            CliRun r = CliRun.of(args.toArray(String[]::new));
            assertThat(r.exit()).as(r.toString()).isEqualTo(SecureNnException.Kind.USAGE.exitCode);
            assertThat(r.errorLine()).isEqualTo("securenn: error: --tls-provider none (plain TCP) would send the pair "
                    + "keys and every share unencrypted: 'securenn " + command.split(" ")[0] + "' refuses it, only the "
                    + "benchmark commands (bench networks) run without TLS");
        }
    }
}
