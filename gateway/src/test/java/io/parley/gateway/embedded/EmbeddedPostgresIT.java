package io.parley.gateway.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;

import org.junit.jupiter.api.Test;

class EmbeddedPostgresIT {

    private final ChildProcessLauncher launcher = new ChildProcessLauncher();

    private EmbeddedPostgres postgres(Path base) {
        return new EmbeddedPostgres(base, ChildProcessLauncher.choosePort(0, "test"), "parley",
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
        TestDirs.report("PostgreSQL first start (unpack+initdb): " + ChildProcessLauncher.seconds(System.nanoTime() - t0));
        long firstPid = first.pid();
        assertThat(show(first, "fsync")).isEqualTo("on");
        assertThat(show(first, "synchronous_commit")).isEqualTo("on");
        assertThat(show(first, "server_version")).startsWith("16.");
        try (Connection c = first.connect("parley"); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE survivor (id int primary key, name text)");
            s.execute("INSERT INTO survivor VALUES (1, 'kept')");
        }
        if (ChildProcessLauncher.runningAsRoot()) {
            assertThat(Files.getOwner(base.resolve("data")).getName()).isEqualTo(ChildProcessLauncher.DEFAULT_USER);
        }
        first.stop();
        assertThat(ChildProcessLauncher.isAlive(firstPid)).isFalse();

        t0 = System.nanoTime();
        EmbeddedPostgres second = postgres(base).start();
        TestDirs.report("PostgreSQL restart: " + ChildProcessLauncher.seconds(System.nanoTime() - t0));
        assertThat(countRows(second)).isEqualTo(1);
        // idle resident memory of the whole server (postmaster + its auxiliary processes)
        long rss = ChildProcessLauncher.residentKb(second.pid());
        long treeRss = rss + ProcessHandle.of(second.pid()).orElseThrow().descendants()
                .mapToLong(h -> ChildProcessLauncher.residentKb(h.pid())).filter(v -> v > 0).sum();
        TestDirs.report("PostgreSQL RSS postmaster " + rss / 1024 + " MB, with children " + treeRss / 1024 + " MB");

        // the JVM "dies": the handle is forgotten, the server keeps running with its postmaster.pid
        long orphanPid = second.abandon();
        assertThat(ChildProcessLauncher.isAlive(orphanPid)).isTrue();
        assertThat(ChildProcessLauncher.readPid(base.resolve("data/postmaster.pid"))).contains(orphanPid);

        t0 = System.nanoTime();
        EmbeddedPostgres third = postgres(base).start();
        TestDirs.report("PostgreSQL start after orphan clean-up: " + ChildProcessLauncher.seconds(System.nanoTime() - t0));
        assertThat(ChildProcessLauncher.isAlive(orphanPid)).isFalse();
        assertThat(third.pid()).isNotEqualTo(orphanPid);
        assertThat(countRows(third)).isEqualTo(1);
        long thirdPid = third.pid();
        third.stop();
        assertThat(ChildProcessLauncher.isAlive(thirdPid)).isFalse();
        assertThat(ChildProcessLauncher.isPortFree(third.port())).isTrue();
    }

    private static int countRows(EmbeddedPostgres pg) throws Exception {
        try (Connection c = pg.connect("parley"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM survivor WHERE name = 'kept'")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
