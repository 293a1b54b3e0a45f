package dev.braid.node;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Properties;

/**
 * A node's data directory: {@code LOCK} (held while the node runs), {@code FORMAT} (the node
 * layout's version), {@code node.properties} (the Raft port, chosen once and kept),
 * {@code store/} (braid-store's RocksDB) and {@code cluster/} (braid-cluster's identity, tokens
 * and Raft log). Files are replaced atomically. Not thread-safe; one owner, the {@link Node}.
 */
final class DataDirectory implements AutoCloseable {
  /** The layout version this build writes and reads (and reads older). */
  static final int FORMAT_VERSION = 1;
  static final String FORMAT_PREFIX = "braid-node format ";
  private static final int MAX_FILE = 4096;

  private final Path dir;
  private final FileChannel lockChannel;
  private final FileLock lock;

  private DataDirectory(Path dir, FileChannel lockChannel, FileLock lock) {
    this.dir = dir;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  /** Creates (if needed), locks and checks the format of {@code dir}. */
  static DataDirectory open(Path dir) throws NodeException {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new NodeException("cannot create data directory " + dir + ": " + e.getMessage(), e);
    }
    Path lockFile = dir.resolve("LOCK");
    FileChannel ch;
    try {
      ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new NodeException("cannot open " + lockFile + ": " + e.getMessage(), e);
    }
    FileLock l;
    try {
      l = ch.tryLock();
    } catch (OverlappingFileLockException e) {
      l = null;
    } catch (IOException e) {
      closeQuietly(ch);
      throw new NodeException("cannot lock " + lockFile + ": " + e.getMessage(), e);
    }
    if (l == null) {
      closeQuietly(ch);
      throw new NodeException("data directory " + dir + " is locked by another braid node ("
          + lockFile + ")");
    }
    DataDirectory d = new DataDirectory(dir, ch, l);
    try {
      d.checkFormat();
      return d;
    } catch (NodeException e) {
      d.close();
      throw e;
    }
  }

  private void checkFormat() throws NodeException {
    Path f = dir.resolve("FORMAT");
    try {
      if (!Files.exists(f)) {
        writeAtomically(f, FORMAT_PREFIX + FORMAT_VERSION + "\n");
        return;
      }
      String s = read(f).trim();
      if (!s.startsWith(FORMAT_PREFIX)) {
        throw new NodeException("data directory " + dir + " is not a braid node directory"
            + " (its FORMAT file says '" + abbreviate(s) + "'; a braid node keeps its replica"
            + " in " + dir.resolve("store") + ")");
      }
      int v;
      try {
        v = Integer.parseInt(s.substring(FORMAT_PREFIX.length()).trim());
      } catch (NumberFormatException e) {
        throw new NodeException("data directory " + dir + " has an unreadable FORMAT file: '"
            + abbreviate(s) + "'");
      }
      if (v > FORMAT_VERSION) {
        throw new NodeException("data directory " + dir + " was written by braid-node format "
            + v + "; this build reads format " + FORMAT_VERSION + " and older. Use a newer braid.");
      }
    } catch (IOException e) {
      throw new NodeException("cannot read " + f + ": " + e.getMessage(), e);
    }
  }

  Path path() {
    return dir;
  }

  Path storeDir() {
    return dir.resolve("store");
  }

  Path clusterDir() {
    return dir.resolve("cluster");
  }

  /** The Raft port recorded by an earlier start, or 0. */
  int recordedRaftPort() throws NodeException {
    Path f = dir.resolve("node.properties");
    if (!Files.exists(f)) {
      return 0;
    }
    Properties p = new Properties();
    try {
      p.load(new java.io.StringReader(read(f)));
    } catch (IOException | IllegalArgumentException e) {
      throw new NodeException("cannot read " + f + ": " + e.getMessage(), e);
    }
    String v = p.getProperty("raft_port");
    try {
      int port = v == null ? 0 : Integer.parseInt(v.trim());
      if (port < 0 || port > 65535) {
        throw new NumberFormatException();
      }
      return port;
    } catch (NumberFormatException e) {
      throw new NodeException(f + " has a bad raft_port: '" + abbreviate(String.valueOf(v))
          + "'");
    }
  }

  void recordRaftPort(int port) throws NodeException {
    Path f = dir.resolve("node.properties");
    try {
      writeAtomically(f, "# written by braid node; the Raft port must not change once peers know"
          + " it\nraft_port=" + port + "\n");
    } catch (IOException e) {
      throw new NodeException("cannot write " + f + ": " + e.getMessage(), e);
    }
  }

  private static String read(Path f) throws IOException {
    if (Files.size(f) > MAX_FILE) {
      throw new IOException(f + " is larger than " + MAX_FILE + " bytes");
    }
    return Files.readString(f, StandardCharsets.UTF_8);
  }

  private static void writeAtomically(Path f, String content) throws IOException {
    Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)));
      ch.force(true);
    }
    Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static String abbreviate(String s) {
    String one = s.replaceAll("\\s+", " ");
    return one.length() > 60 ? one.substring(0, 60) + "…" : one;
  }

  private static void closeQuietly(FileChannel ch) {
    try {
      ch.close();
    } catch (IOException ignored) {
      // nothing to do
    }
  }

  /** Releases the lock. */
  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException ignored) {
      // closing the channel releases it too
    }
    closeQuietly(lockChannel);
  }
}
