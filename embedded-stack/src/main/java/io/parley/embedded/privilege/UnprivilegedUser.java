package io.parley.embedded.privilege;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.parley.embedded.EmbeddedStackException;
import io.parley.embedded.ShortCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The system user the native children (PostgreSQL, Elasticsearch) run as when the JVM runs as root: both refuse
 * to run as root. Created once with {@code useradd}; children are started through {@code setpriv} and their trees
 * are {@code chown}ed to it. When the JVM does not run as root, children simply run as ourselves.
 * <p>
 * Linux only (uses {@code /proc}, {@code id}, {@code useradd}, {@code setpriv}, {@code chown}).
 */
public final class UnprivilegedUser {

    private static final Logger log = LoggerFactory.getLogger(UnprivilegedUser.class);

    /** The system user the children run as when the JVM runs as root. */
    public static final String DEFAULT_NAME = "parley";

    private final String name;
    private volatile Identity identity;

    public UnprivilegedUser() {
        this(DEFAULT_NAME);
    }

    public UnprivilegedUser(String name) {
        this.name = name;
    }

    /** uid/gid the children run as. */
    public record Identity(String user, int uid, int gid) {
    }

    public static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name")) || currentUid() == 0;
    }

    private static int currentUid() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return uid instanceof Integer i ? i : -1;
        } catch (Exception e) {
            return -1;
        }
    }

    /**
     * When running as root: the unprivileged identity the children run as, creating the system user once.
     * Otherwise {@code null}.
     */
    public synchronized Identity identity() {
        if (!runningAsRoot()) {
            return null;
        }
        if (identity == null) {
            Optional<Integer> uid = idOf("-u");
            if (uid.isEmpty()) {
                log.info("Creating system user '{}' to run the embedded PostgreSQL and Elasticsearch (they refuse to run as root)", name);
                ShortCommand.Result r = ShortCommand.run(Duration.ofSeconds(30), "useradd", "--system", "--no-create-home",
                        "--shell", "/usr/sbin/nologin", name);
                // exit code 9 = the user exists (created concurrently)
                if (r.exitCode() != 0 && r.exitCode() != 9) {
                    throw new EmbeddedStackException("Could not create the system user '" + name
                            + "' (useradd exit " + r.exitCode() + "): " + r.output().strip());
                }
                uid = idOf("-u");
            }
            int gid = idOf("-g").orElseThrow(() -> new EmbeddedStackException("No group for user " + name));
            identity = new Identity(name, uid.orElseThrow(() -> new EmbeddedStackException("User " + name + " missing")), gid);
            if (!Files.isExecutable(Path.of("/usr/bin/setpriv")) && !Files.isExecutable(Path.of("/bin/setpriv"))) {
                throw new EmbeddedStackException("Running as root but 'setpriv' (util-linux) is not installed: "
                        + "cannot drop privileges for the embedded PostgreSQL/Elasticsearch");
            }
        }
        return identity;
    }

    private Optional<Integer> idOf(String flag) {
        ShortCommand.Result r = ShortCommand.run(Duration.ofSeconds(10), "id", flag, name);
        if (r.exitCode() != 0) {
            return Optional.empty();
        }
        return Optional.of(Integer.parseInt(r.output().strip()));
    }

    /** What to put before a child's command line: {@code setpriv} to the identity as root, nothing otherwise. */
    public List<String> commandPrefix() {
        Identity id = identity();
        if (id == null) {
            return List.of();
        }
        return List.of("setpriv", "--reuid=" + id.uid(), "--regid=" + id.gid(), "--clear-groups");
    }

    /** {@code chown -R} the given trees to the child identity (no-op when not root). */
    public void ownTrees(Path... trees) {
        Identity id = identity();
        if (id == null) {
            return;
        }
        List<String> cmd = new ArrayList<>(List.of("chown", "-R", id.uid() + ":" + id.gid()));
        for (Path tree : trees) {
            cmd.add(tree.toAbsolutePath().toString());
        }
        ShortCommand.Result r = ShortCommand.run(Duration.ofSeconds(120), cmd.toArray(String[]::new));
        if (r.exitCode() != 0) {
            throw new EmbeddedStackException("chown failed (" + r.exitCode() + "): " + r.output().strip());
        }
        for (Path tree : trees) {
            checkTraversable(tree.toAbsolutePath().normalize().getParent());
        }
    }

    /** Every ancestor must be searchable by "others", or the unprivileged child cannot reach its files. */
    private void checkTraversable(Path dir) {
        for (Path p = dir; p != null; p = p.getParent()) {
            try {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
                if (!perms.contains(PosixFilePermission.OTHERS_EXECUTE)) {
                    throw new EmbeddedStackException("Directory " + p + " is not accessible to the unprivileged user '"
                            + name + "' that runs the embedded servers (mode lacks o+x): choose a chat.data-dir "
                            + "outside it or chmod o+x " + p);
                }
            } catch (IOException e) {
                throw new EmbeddedStackException("Cannot read permissions of " + p + ": " + e.getMessage(), e);
            }
        }
    }
}
