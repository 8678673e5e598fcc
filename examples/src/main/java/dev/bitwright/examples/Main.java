package dev.bitwright.examples;

import dev.bitwright.metainfo.MetainfoException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.util.Arrays;
import java.util.Locale;

/**
 * The {@code bitwright} command-line tool: {@code java -jar bitwright.jar <command> ...}.
 *
 * <p>Exit codes: 0 on success, 1 when a file is unreadable or malformed, 2 for a mistake in the
 * command line. Errors are one line on standard error, never a stack trace.
 */
public final class Main {
  static final String VERSION = "0.1.0-SNAPSHOT";
  static final String CREATED_BY = "Bitwright " + VERSION;

  private static final String HELP =
      """
      bitwright %s - a BitTorrent toolkit for the JVM

      usage: java -jar bitwright.jar <command> [options]

      commands:
        %s
            Show a torrent's name, info-hashes (v1, v2), piece length, size, files
            (padding files marked), tracker tiers and web seeds. --json prints one
            JSON object.
        %s
            Create a torrent of a file or folder. Default format: v1. Each --tracker
            is one tier; commas separate the trackers within a tier. --piece-size
            takes bytes or K/M suffixes (default: chosen from the size, at most 2048
            pieces). A progress bar is drawn on a terminal.
        %s
            Download a torrent or magnet link into DIR (peers from its trackers, the
            magnet's x.pe, --peer and, with --dht, the Mainline DHT). Exit code 0
            only when every wanted byte is downloaded and verified. --seed-after
            keeps seeding until --timeout. The DHT is off unless --dht or
            --dht-bootstrap is given; --dht alone bootstraps from the public
            routers. Its routing table is kept in DIR/.bitwright/dht.state.
            --lsd finds peers on the local network (Local Service Discovery,
            BEP 14: multicast on the interfaces it listens on; off by default).
            --port-mapping asks the default gateway to forward the listening
            ports (PCP, NAT-PMP or UPnP; off by default) and prints what it granted;
            --port-mapping-gateway HOST:PORT asks that gateway instead.
            Web seeds (BEP 19) from the torrent's url-list or the magnet's ws are
            used unless --no-web-seeds; --web-seed URL adds one. Peers are reached
            over uTP (tried first) and TCP; --no-utp or --no-tcp turns one off. The
            status line counts the peers on uTP. --trace FILE appends every message
            in and out, one line each (time, peer, in/out, message and fields).
        %s
            Check the data in DIR (or trust resume data), then seed it; prints the
            listen port first. Runs until --timeout (or Ctrl-C). DHT options as for
            download. --seed-mode trusts complete files without hashing them first:
            each piece is verified before its first upload (a wrong one makes it
            check every piece).
        %s
            Run a swarm in this process on 127.0.0.1 (one seeder, N leechers, a
            generated payload), show it, and verify every downloaded file.
        %s
            Run one DHT node for research: get-peers looks up the peers of an
            info-hash (--announce PORT also announces us), sample collects BEP 51
            info-hash samples from the nodes on the way to a target. Prints what
            it finds and the lookup's hops and queries.
        %s
            A study on the simulated network (bitwright-simulation, in simulated
            time, reproducible from --seed): one seed and N-1 leechers (default 50
            peers, 8 MiB), each policy --runs times: rarest-first and sequential
            picking. Prints the leechers' completion times and the seed's share.

      options:
        --help     show this text
        --version  show the version
      """;

  private Main() {}

  /**
   * Runs the tool and exits with its exit code.
   *
   * @param args the command line
   */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err, systemClock()));
  }

  @SuppressForbidden
  private static Clock systemClock() {
    return Clock.systemUTC();
  }

  /** Runs the tool with the given streams and clock; returns the exit code. */
  static int run(String[] argv, PrintStream out, PrintStream err, Clock clock) {
    Arguments args = new Arguments(Arrays.asList(argv));
    try {
      if (args.isEmpty()) {
        throw new UsageException("no command given");
      }
      String command = args.next();
      switch (command) {
        case "--help", "-h", "help" -> out.print(help());
        case "--version" -> out.println("bitwright " + VERSION);
        case "info" -> InfoCommand.run(args, out);
        case "create" -> CreateCommand.run(args, out, err, clock);
        case "download" -> DownloadCommand.download(args, out, clock);
        case "seed" -> DownloadCommand.seed(args, out, clock);
        case "demo" -> DemoCommand.run(args, out, clock);
        case "dht" -> DhtCommand.run(args, out, clock);
        case "study" -> StudyCommand.run(args, out);
        default -> throw new UsageException("unknown command: " + command);
      }
      out.flush();
      return 0;
    } catch (CommandException e) {
      err.println("bitwright: " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("bitwright: interrupted");
      return 1;
    } catch (UsageException e) {
      err.println("bitwright: " + e.getMessage() + " (see --help)");
      return 2;
    } catch (MetainfoException e) {
      err.println("bitwright: invalid torrent or magnet: " + e.getMessage());
      return 1;
    } catch (NoSuchFileException e) {
      err.println("bitwright: no such file: " + e.getFile());
      return 1;
    } catch (AccessDeniedException e) {
      err.println("bitwright: permission denied: " + e.getFile());
      return 1;
    } catch (IOException e) {
      err.println("bitwright: " + e.getMessage());
      return 1;
    }
  }

  static String help() {
    return String.format(
        Locale.ROOT,
        HELP,
        VERSION,
        InfoCommand.USAGE,
        CreateCommand.USAGE,
        DownloadCommand.DOWNLOAD_USAGE,
        DownloadCommand.SEED_USAGE,
        DemoCommand.USAGE,
        DhtCommand.USAGE,
        StudyCommand.USAGE);
  }
}
