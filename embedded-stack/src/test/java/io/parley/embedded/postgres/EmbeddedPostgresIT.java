package io.parley.embedded.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;

import io.parley.embedded.Elapsed;
import io.parley.embedded.LoopbackPorts;
import io.parley.embedded.TestDirs;
import io.parley.embedded.privilege.UnprivilegedUser;
import io.parley.embedded.process.ChildProcessLauncher;
import io.parley.embedded.process.LinuxProcesses;
import org.junit.jupiter.api.Test;

class EmbeddedPostgresIT {

    private final ChildProcessLauncher launcher = new ChildProcessLauncher();

    private EmbeddedPostgres postgres(Path base) {
        return new EmbeddedPostgres(base, LoopbackPorts.choose(0, "test"), "parley",
                Duration.ofSeconds(60), Duration.ofSeconds(20), launcher);
    }

    private static String show(EmbeddedPostgres pg, String setting) throws Exception {
        try (Connection c = pg.connect("parley"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void startsDurableRestartsKeepsDataAndCleansUpOrphans() throws Exception {
        Path base = TestDirs.create("pg").resolve("postgres");

        long t0 = System.nanoTime();
        EmbeddedPostgres first = postgres(base).start();
        TestDirs.report("PostgreSQL first start (unpack+initdb): " + Elapsed.since(t0));
        long firstPid = first.pid();
        assertThat(show(first, "fsync")).isEqualTo("on");
        assertThat(show(first, "synchronous_commit")).isEqualTo("on");
        assertThat(show(first, "server_version")).startsWith("16.");
        try (Connection c = first.connect("parley"); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE survivor (id int primary key, name text)");
            s.execute("INSERT INTO survivor VALUES (1, 'kept')");
        }
        if (UnprivilegedUser.runningAsRoot()) {
            assertThat(Files.getOwner(base.resolve("data")).getName()).isEqualTo(UnprivilegedUser.DEFAULT_NAME);
        }
        first.stop();
        assertThat(LinuxProcesses.isAlive(firstPid)).isFalse();

        t0 = System.nanoTime();
        EmbeddedPostgres second = postgres(base).start();
        TestDirs.report("PostgreSQL restart: " + Elapsed.since(t0));
        assertThat(countRows(second)).isEqualTo(1);
        // idle resident memory of the whole server (postmaster + its auxiliary processes)
        long rss = LinuxProcesses.residentKb(second.pid());
        long treeRss = rss + ProcessHandle.of(second.pid()).orElseThrow().descendants()
                .mapToLong(h -> LinuxProcesses.residentKb(h.pid())).filter(v -> v > 0).sum();
        TestDirs.report("PostgreSQL RSS postmaster " + rss / 1024 + " MB, with children " + treeRss / 1024 + " MB");

        // the JVM "dies": the handle is forgotten, the server keeps running with its postmaster.pid
        long orphanPid = second.abandon();
        assertThat(LinuxProcesses.isAlive(orphanPid)).isTrue();
        assertThat(LinuxProcesses.readPid(base.resolve("data/postmaster.pid"))).contains(orphanPid);

        t0 = System.nanoTime();
        EmbeddedPostgres third = postgres(base).start();
        TestDirs.report("PostgreSQL start after orphan clean-up: " + Elapsed.since(t0));
        assertThat(LinuxProcesses.isAlive(orphanPid)).isFalse();
        assertThat(third.pid()).isNotEqualTo(orphanPid);
        assertThat(countRows(third)).isEqualTo(1);
        long thirdPid = third.pid();
        third.stop();
        assertThat(LinuxProcesses.isAlive(thirdPid)).isFalse();
        assertThat(LoopbackPorts.isFree(third.port())).isTrue();
    }

    private static int countRows(EmbeddedPostgres pg) throws Exception {
        try (Connection c = pg.connect("parley"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM survivor WHERE name = 'kept'")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
