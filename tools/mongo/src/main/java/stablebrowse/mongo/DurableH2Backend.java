package stablebrowse.mongo;

import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;
import org.h2.mvstore.MVStore;

/**
 * The H2 backend with every acknowledged write on disk before the reply.
 *
 * <p>mongo-java-server's own H2 backend leaves MVStore's auto-commit on: changes reach the
 * file about a second later, so a kill -9 loses writes the client was told succeeded. Here
 * the MVStore is opened with auto-commit off, and after each command, before its reply is
 * written to the socket, any unsaved change is committed and the file fsynced. Replies of
 * commands that changed nothing (reads) skip both. One lock orders commit + sync, so a
 * command never answers while the commit holding its change is still being written.
 */
final class DurableH2Backend extends H2Backend {
    private final MVStore store;
    private final Object persistLock = new Object();

    private DurableH2Backend(MVStore store) {
        super(store);
        this.store = store;
    }

    static DurableH2Backend open(String dataFile) {
        return new DurableH2Backend(new MVStore.Builder().fileName(dataFile).autoCommitDisabled().open());
    }

    @Override
    public Document handleCommand(Channel channel, String databaseName, String command, Document query) {
        try {
            return super.handleCommand(channel, databaseName, command, query);
        } finally {
            // Also after a failed command: an unordered insert may have stored some documents.
            persist();
        }
    }

    /** Commits and fsyncs whatever changed; returns once it is on disk. */
    void persist() {
        synchronized (persistLock) {
            if (store.isClosed() || !store.hasUnsavedChanges()) {
                return;
            }
            store.commit();
            store.sync();
        }
    }
}
