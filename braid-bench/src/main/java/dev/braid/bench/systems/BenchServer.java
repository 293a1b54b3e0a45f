package dev.braid.bench.systems;

import java.net.InetSocketAddress;

/** A running benchmark server of one system. */
public interface BenchServer extends AutoCloseable {
  /** The bound address. */
  InetSocketAddress address();

  @Override
  void close();
}
