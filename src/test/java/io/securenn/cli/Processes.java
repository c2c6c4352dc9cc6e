package io.securenn.cli;

import io.securenn.testutil.Ports;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Spawns JVMs on the test classpath (the shaded jar exists only after packaging), and cleans them up. */
final class Processes implements AutoCloseable {
    private final Path dir;
    private final List<Process> started = new ArrayList<>();
    private final List<Proc> procs = new ArrayList<>();
    private int count;

    Processes(Path dir) {
        this.dir = dir;
    }

    /** A started process with its stdout and stderr going to files. */
    record Proc(Process process, Path out, Path err) {
        String stdout() throws IOException {
            return Files.readString(out);
        }

        String stderr() throws IOException {
            return Files.readString(err);
        }

        /** Waits for the exit; fails (after killing it) if it does not exit in time. */
        int exit(Duration within) throws Exception {
            if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("process did not exit within " + within + "; stderr:\n" + stderr());
            }
            return process.exitValue();
        }

        /** Waits until stderr contains text. */
        void awaitErr(String text, Duration within) throws Exception {
            long until = System.nanoTime() + within.toNanos();
            while (!stderr().contains(text)) {
                if (!process.isAlive()) throw new AssertionError("process ended early; stderr:\n" + stderr());
                if (System.nanoTime() > until) throw new AssertionError("no '" + text + "' on stderr in time; stderr:\n" + stderr());
                Thread.sleep(5);
            }
        }

        /** Waits until stdout contains text. */
        void awaitOutput(String text, Duration within) throws Exception {
            long until = System.nanoTime() + within.toNanos();
            while (!stdout().contains(text)) {
                if (!process.isAlive()) throw new AssertionError("process ended early; stderr:\n" + stderr());
                if (System.nanoTime() > until) throw new AssertionError("no '" + text + "' in time; stderr:\n" + stderr());
                Thread.sleep(20);
            }
        }
    }

    static String javaCommand() {
        return ProcessHandle.current().info().command().orElseThrow(() -> new AssertionError("cannot find this JVM"));
    }

    static String classPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }

    Proc java(String mainClass, String... args) throws IOException {
        return javaWith(List.of(), mainClass, args);
    }

    /** As {@link #java}, with extra JVM options (system properties) before the main class. */
    Proc javaWith(List<String> jvmOptions, String mainClass, String... args) throws IOException {
        int n = ++count;
        List<String> cmd = new ArrayList<>(List.of(javaCommand(), "-Xss8m", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", classPath(), mainClass));
        cmd.addAll(List.of(args));
        Path out = dir.resolve("proc" + n + ".out"), err = dir.resolve("proc" + n + ".err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        started.add(p);
        Proc proc = new Proc(p, out, err);
        procs.add(proc);
        return proc;
    }

    Proc securenn(String... args) throws IOException {
        return java("io.securenn.cli.Main", args);
    }

    /**
     * Adds to a failure the stderr lines of the processes started here that could not listen because their port
     * was taken (see {@link Ports#fixedInAdvance}, which then runs the scenario again on new ports).
     */
    void addPortTakenLines(Throwable failure) {
        for (Proc p : procs) {
            try {
                for (String line : p.stderr().lines().toList()) {
                    if (Ports.saysTaken(line)) failure.addSuppressed(new AssertionError(p.err().getFileName() + ": " + line));
                }
            } catch (IOException ignored) {
                // no output to look at
            }
        }
    }

    @Override
    public void close() {
        for (Process p : started) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        for (Process p : started) {
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
