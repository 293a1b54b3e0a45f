package dev.braid.cluster;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A node's data directory: an exclusive lock ({@code LOCK}), the host id ({@code host-id}),
 * the vnode tokens ({@code tokens}), the last applied set of enabled features
 * ({@code enabled-features}, read by the boot check before Raft starts) and Ratis's storage
 * ({@code raft/}). Files are replaced atomically. Not thread-safe except
 * {@link #writeEnabled}, which is synchronized.
 */
final class NodeDirectory implements AutoCloseable {
  static final int TOKENS = 16;
  private static final int MAX_FILE = 64 * 1024;

  private final Path dir;
  private final FileChannel lockChannel;
  private final FileLock lock;

  private NodeDirectory(Path dir, FileChannel lockChannel, FileLock lock) {
    this.dir = dir;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  /** Creates the directory if needed and locks it. */
  static NodeDirectory open(Path dir) throws ClusterException {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new ClusterException("cannot create data directory " + dir + ": " + e, e);
    }
    Path lockFile = dir.resolve("LOCK");
    FileChannel ch = null;
    try {
      ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock l;
      try {
        l = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        l = null;
      }
      if (l == null) {
        ch.close();
        throw new ClusterException("data directory " + dir + " is in use by another braid"
            + " node (" + lockFile + " is locked)");
      }
      return new NodeDirectory(dir, ch, l);
    } catch (IOException e) {
      closeQuietly(ch);
      throw new ClusterException("cannot lock data directory " + dir + ": " + e, e);
    }
  }

  Path path() {
    return dir;
  }

  Path raftDir() {
    return dir.resolve("raft");
  }

  boolean hasRaftState() throws IOException {
    Path r = raftDir();
    if (!Files.isDirectory(r)) {
      return false;
    }
    try (Stream<Path> s = Files.list(r)) {
      return s.anyMatch(Files::isDirectory);
    }
  }

  void deleteRaftState() throws IOException {
    Path r = raftDir();
    if (!Files.exists(r)) {
      return;
    }
    try (Stream<Path> s = Files.walk(r)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** The persisted host id, created on first use. */
  String hostId() throws ClusterException {
    Path f = dir.resolve("host-id");
    try {
      if (Files.exists(f)) {
        String id = read(f).trim();
        try {
          return UUID.fromString(id).toString();
        } catch (IllegalArgumentException e) {
          throw new ClusterException(f + " does not hold a host id (a UUID): '" + id + "'");
        }
      }
      String id = UUID.randomUUID().toString();
      write(f, id + "\n");
      return id;
    } catch (IOException e) {
      throw new ClusterException("cannot read or write " + f + ": " + e, e);
    }
  }

  /** The persisted tokens, chosen at random on first use. */
  List<Long> tokens() throws ClusterException {
    Path f = dir.resolve("tokens");
    try {
      if (Files.exists(f)) {
        List<Long> out = new ArrayList<>();
        for (String line : read(f).split("\n")) {
          if (!line.isBlank()) {
            out.add(Long.parseLong(line.trim()));
          }
        }
        return out;
      }
      SecureRandom r = new SecureRandom();
      Set<Long> t = new TreeSet<>();
      while (t.size() < TOKENS) {
        t.add(r.nextLong());
      }
      StringBuilder sb = new StringBuilder();
      t.forEach(x -> sb.append(x).append('\n'));
      write(f, sb.toString());
      return new ArrayList<>(t);
    } catch (IOException | NumberFormatException e) {
      throw new ClusterException("cannot read or write " + f + ": " + e, e);
    }
  }

  /** The enabled features last applied here, or null when none were ever recorded. */
  Set<String> readEnabled() throws ClusterException {
    Path f = dir.resolve("enabled-features");
    try {
      if (!Files.exists(f)) {
        return null;
      }
      Set<String> out = new TreeSet<>();
      for (String line : read(f).split("\n")) {
        if (!line.isBlank()) {
          out.add(line.trim());
        }
      }
      return out;
    } catch (IOException e) {
      throw new ClusterException("cannot read " + f + ": " + e, e);
    }
  }

  synchronized void writeEnabled(Set<String> enabled) throws IOException {
    StringBuilder sb = new StringBuilder();
    new TreeSet<>(enabled).forEach(x -> sb.append(x).append('\n'));
    write(dir.resolve("enabled-features"), sb.toString());
  }

  private static String read(Path f) throws IOException {
    if (Files.size(f) > MAX_FILE) {
      throw new IOException(f + " is larger than " + MAX_FILE + " bytes");
    }
    return Files.readString(f, StandardCharsets.UTF_8);
  }

  private static void write(Path f, String content) throws IOException {
    Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(java.nio.ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)));
      ch.force(true);
    }
    Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException ignored) {
      // closing the channel releases it too
    }
    closeQuietly(lockChannel);
  }

  private static void closeQuietly(FileChannel ch) {
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException ignored) {
        // nothing to do
      }
    }
  }
}
