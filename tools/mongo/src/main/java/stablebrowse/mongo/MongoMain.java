package stablebrowse.mongo;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.MongoVersion;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * MongoDB wire-protocol server for development and tests: mongo-java-server
 * with the H2 MVStore backend persisting to one file. A write is committed and
 * fsynced before it is acknowledged (see {@link DurableH2Backend}).
 *
 * <p>Usage: {@code MongoMain DATA_FILE PORT}. Binds 127.0.0.1:PORT, prints
 * "listening on 127.0.0.1:PORT" once bound, runs until SIGTERM/SIGINT, then
 * stops accepting, closes client connections and closes the H2 store (which
 * flushes it to disk).
 */
public final class MongoMain {
    private MongoMain() {
    }

    private static void log(String msg) {
        System.out.println("[mongo] " + msg);
        System.out.flush();
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: MongoMain DATA_FILE PORT");
            System.exit(2);
        }
        Path dataFile = Path.of(args[0]).toAbsolutePath();
        int port;
        try {
            port = Integer.parseInt(args[1]);
        } catch (NumberFormatException e) {
            System.err.println("PORT must be a number, got: " + args[1]);
            System.exit(2);
            return;
        }
        if (dataFile.getParent() != null) {
            Files.createDirectories(dataFile.getParent());
        }

        final DurableH2Backend backend;
        try {
            backend = DurableH2Backend.open(dataFile.toString());
        } catch (RuntimeException e) {
            // e.g. another process holds the MVStore file lock
            System.err.println("[mongo] cannot open " + dataFile + ": " + e);
            System.exit(1);
            return;
        }
        // Report MongoDB 4.4 (wire version 9): current PyMongo refuses anything older, and
        // mongo-java-server's own newest constant (MONGO_5_0) still says wire version 8.
        backend.version(new MongoVersion() {
            @Override
            public java.util.List<Integer> getVersionArray() {
                return java.util.List.of(4, 4, 0);
            }

            @Override
            public int getWireVersion() {
                return 9;
            }
        });
        final MongoServer server = new MongoServer(backend);
        try {
            server.bind("127.0.0.1", port);
        } catch (Exception e) {
            // Netty rethrows the checked BindException undeclared, hence Exception.
            // Its event-loop threads are non-daemon: stop them or the JVM hangs.
            System.err.println("[mongo] cannot bind 127.0.0.1:" + port + ": " + e);
            try {
                server.shutdownNow();
            } finally {
                backend.close();
            }
            System.exit(1);
            return;
        }

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log("shutting down");
            try {
                server.shutdown();
            } catch (RuntimeException e) {
                System.err.println("[mongo] server shutdown: " + e);
            }
            try {
                backend.close();
            } catch (RuntimeException e) {
                System.err.println("[mongo] closing " + dataFile + ": " + e);
            }
            log("stopped");
            stopped.countDown();
        }, "mongo-shutdown"));

        log("listening on 127.0.0.1:" + port + " (data " + dataFile + ")");
        stopped.await();
    }
}
