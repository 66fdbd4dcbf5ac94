package io.schemagate.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A throwaway cluster of the machine's PostgreSQL (Debian's /usr/lib/postgresql/N), made with
 * initdb in a temp folder; as root, it runs as the {@code postgres} user because initdb refuses
 * root.
 */
final class DebianPostgresServer implements PostgresServer {

  private static final Path DEBIAN_ROOT = Paths.get("/usr/lib/postgresql");
  private static final String USER = "bench";

  private final Path binDir;
  private final Path baseDir;
  private final boolean asPostgresUser;
  private final int port;
  private final String password;

  private DebianPostgresServer(
      Path binDir, Path baseDir, boolean asPostgresUser, int port, String password) {
    this.binDir = binDir;
    this.baseDir = baseDir;
    this.asPostgresUser = asPostgresUser;
    this.port = port;
    this.password = password;
  }

  /** The newest installed Debian PostgreSQL's bin folder, if there is one. */
  static Optional<Path> findBinDir() {
    if (!Files.isDirectory(DEBIAN_ROOT)) {
      return Optional.empty();
    }
    try (Stream<Path> versions = Files.list(DEBIAN_ROOT)) {
      return versions
          .map(version -> version.resolve("bin"))
          .filter(bin -> Files.isExecutable(bin.resolve("initdb")))
          .filter(bin -> Files.isExecutable(bin.resolve("pg_ctl")))
          .max(Comparator.comparingInt(DebianPostgresServer::majorVersion));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static int majorVersion(Path binDir) {
    try {
      return Integer.parseInt(binDir.getParent().getFileName().toString());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  static DebianPostgresServer start(Path binDir) {
    boolean root = "root".equals(System.getProperty("user.name"));
    String password = UUID.randomUUID().toString();
    try {
      Path baseDir = Files.createTempDirectory("schemagate-bench-pg");
      Path pwFile = baseDir.resolve("pwfile");
      Files.writeString(pwFile, password + "\n");
      if (root) {
        UserPrincipalLookupService users = baseDir.getFileSystem().getUserPrincipalLookupService();
        Files.setOwner(baseDir, users.lookupPrincipalByName("postgres"));
        Files.setOwner(pwFile, users.lookupPrincipalByName("postgres"));
      }
      int port = FreePort.find();
      DebianPostgresServer server = new DebianPostgresServer(binDir, baseDir, root, port, password);
      server.initdbAndStart(pwFile);
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void initdbAndStart(Path pwFile) {
    Path data = baseDir.resolve("data");
    CommandLine.run(
        asServerUser(
            binDir.resolve("initdb").toString(),
            "-D",
            data.toString(),
            "-U",
            USER,
            "--pwfile=" + pwFile,
            "--auth-local=trust",
            "--auth-host=scram-sha-256",
            "-E",
            "UTF8",
            "--locale=C"));
    CommandLine.run(
        asServerUser(
            binDir.resolve("pg_ctl").toString(),
            "-D",
            data.toString(),
            "-l",
            baseDir.resolve("server.log").toString(),
            "-w",
            "-o",
            "-c listen_addresses=127.0.0.1 -c port=" + port + " -k " + baseDir,
            "start"));
  }

  private List<String> asServerUser(String... command) {
    List<String> full = new ArrayList<>();
    if (asPostgresUser) {
      full.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    full.addAll(List.of(command));
    return full;
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  public String user() {
    return USER;
  }

  @Override
  public String password() {
    return password;
  }

  @Override
  public String description() {
    return "Debian PostgreSQL "
        + majorVersion(binDir)
        + " ("
        + binDir
        + "), own initdb cluster in "
        + baseDir
        + ", default settings, 127.0.0.1:"
        + port;
  }

  @Override
  public Optional<Path> psql() {
    Path psql = binDir.resolve("psql");
    return Files.isExecutable(psql) ? Optional.of(psql) : Optional.empty();
  }

  @Override
  public void close() {
    try {
      CommandLine.run(
          asServerUser(
              binDir.resolve("pg_ctl").toString(),
              "-D",
              baseDir.resolve("data").toString(),
              "-m",
              "fast",
              "-w",
              "stop"));
    } finally {
      TempFiles.deleteRecursively(baseDir);
    }
  }
}
