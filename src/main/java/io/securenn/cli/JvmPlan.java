package io.securenn.cli;

import io.securenn.job.HeapPlan;
import picocli.CommandLine;

import java.util.List;

/**
 * The launcher's question: the JVM options a command line's process needs ({@link HeapPlan}: the serial collector
 * and a heap limit sized from the job). The launcher asks with
 * {@code java -cp securenn.jar io.securenn.cli.JvmPlan ARGS…}; each command that runs parties says its heap
 * ({@link Planned}).
 */
public final class JvmPlan {
    private JvmPlan() {}

    /** A command that knows the heap its process needs. */
    interface Planned {
        /** The heap this process needs, MB; 0 if the command runs no parties. */
        long heapMb();
    }

    /**
     * Prints the JVM options the command line's job needs (one line), or nothing when the command runs no
     * parties or does not parse (the real run then reports the usage error). Never fails.
     */
    public static void main(String[] args) {
        try {
            long mb = heapMbOf(args);
            if (mb > 0) System.out.println(HeapPlan.options(mb));
        } catch (RuntimeException e) {
            // no plan: the launcher keeps its defaults
        }
    }

    /** The heap the command line's job needs, MB, or 0. */
    static long heapMbOf(String... args) {
        CommandLine cl = new CommandLine(new Main());
        List<CommandLine> parsed = cl.parseArgs(args).asCommandLineList();
        Object cmd = parsed.get(parsed.size() - 1).getCommand();
        return cmd instanceof Planned p ? p.heapMb() : 0;
    }
}
