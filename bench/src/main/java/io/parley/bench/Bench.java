package io.parley.bench;

import io.parley.bench.baseline.BaselineServer;
import io.parley.bench.scenario.Compare;
import io.parley.bench.scenario.ConnectionsScenario;
import io.parley.bench.scenario.DirectScenario;
import io.parley.bench.scenario.GroupScenario;
import io.parley.bench.scenario.ReceiptsScenario;
import io.parley.bench.scenario.SlowConsumersScenario;
import io.parley.bench.scenario.ThroughputScenario;

import java.util.Arrays;

/** {@code java -jar bench.jar <scenario> [--option=value ...]}. */
public final class Bench {

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help")) {
            usage();
            return;
        }
        String cmd = args[0];
        if (cmd.equals("baseline-server")) {
            BaselineServer.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (cmd.equals("hotframes")) {
            io.parley.bench.stats.HotFrames.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        Options o = new Options(args, 1);
        switch (cmd) {
            case "direct" -> new DirectScenario(o).execute();
            case "throughput" -> new ThroughputScenario(o).execute();
            case "group" -> new GroupScenario(o).execute();
            case "connections" -> new ConnectionsScenario(o).execute();
            case "receipts" -> new ReceiptsScenario(o).execute();
            case "slow-consumers" -> new SlowConsumersScenario(o).execute();
            case "replay" -> new io.parley.bench.scenario.ReplayScenario(o).execute();
            case "compare" -> Compare.run(o);
            case "table" -> io.parley.bench.scenario.Table.run(o);
            default -> {
                System.err.println("unknown scenario " + cmd);
                usage();
                System.exit(2);
            }
        }
        System.exit(0);
    }

    static void usage() {
        System.out.println("""
                usage: java -jar bench.jar <scenario> [--option=value ...]

                scenarios (each bounded in count and time; loopback targets only):
                  direct       pairs in direct chats at a fixed rate: SEND->ack, SEND->recipient MESSAGE
                               --pairs=50 --rate=1000 --warmup=10 --duration=30 --size=100
                  throughput   direct load ramped by --factor=1.25 from --start-rate=250 every --step-seconds=10
                               until ack p99 > --p99-limit-ms=100; --pairs=100 --max-steps=20
                  group        groups of --members=100 (--groups=1) at --rate=100 msg/s: fan-out deliveries/s,
                               latency to each and to the last member
                  connections  --connections=10000 idle sessions over --users=100 accounts, --connect-rate=500/s,
                               held --hold=30 s with heart-beats; memory per connection
                  receipts     --pairs=50, prefill, then delivered/read receipts at --rate=1000/s
                  slow-consumers  --paused=12 members stop reading while their group is flooded;
                               bystanders' round trip before/during/after, server RSS
                  replay       --events=1000000 appended to the JDBC store (--jdbc=jdbc:postgresql://127.0.0.1:15432/parley,
                               platform started with --chat.postgres.port=15432) over --conversations=100 groups;
                               live catch-up, POST /api/admin/replay of every projection, NDJSON export: events/s
                  compare      --platform=<direct json> --baseline=<direct json> [--platform-throughput=..
                               --baseline-throughput=..]: ratios
                  baseline-server  --port=18080: the in-memory Spring STOMP broker baseline
                  table        --dir=<results dir>[,<dir>...]: the README's markdown table from the newest reports
                  hotframes <recording.jfr> [top] [out.txt] [--from=<utc> --to=<utc>] [--exclude=a,b]: hottest frames

                common: --url=http://127.0.0.1:8080 --label=platform --out=bench/results --server-pid=<pid>
                        --cpu-split="..." --heartbeat-ms=10000 --connect-threads=16
                        --max-seconds=600 --progress-seconds=5 --answer-timeout=15 --drain-seconds=120
                        --spread-routes=true (adds route=c<n> to each session's URL: nginx in front of
                        several nodes spreads the sessions over them)
                        (STOMP over Spring's WebSocketStompClient; --client=spring is the only client,
                        --client=jdk and --io-threads are accepted and ignored)
                """);
    }
}
