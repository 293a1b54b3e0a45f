package dev.braid.cli;

import dev.braid.cluster.ClusterStatus;
import dev.braid.cluster.proto.ClusterBraid;
import dev.braid.cluster.proto.FeatureReply;
import dev.braid.cluster.proto.FeatureRequest;
import dev.braid.cluster.proto.RemoveReply;
import dev.braid.cluster.proto.RemoveRequest;
import dev.braid.cluster.proto.StatusRequest;
import dev.braid.rpc.CallOptions;
import dev.braid.rpc.ClientConnection;
import dev.braid.rpc.StatusException;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code braid cluster status|hold|unhold|disable|remove HOST:PORT ...}: an operator's view of a
 * braid cluster and its features, through any node's {@code braid.cluster.Cluster} service.
 * Exit status 0 on success, 1 when the node refused or could not be reached (the message says
 * why), 2 for bad arguments. {@code --format json} prints one line of JSON.
 */
@Command(name = "cluster", mixinStandardHelpOptions = true,
    description = "Inspect a braid cluster and hold, unhold or disable its features.",
    subcommands = {ClusterCommand.Status.class, ClusterCommand.Hold.class,
        ClusterCommand.Unhold.class, ClusterCommand.Disable.class, ClusterCommand.Remove.class},
    exitCodeOnInvalidInput = 2)
public final class ClusterCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(),
        "missing command: one of " + String.join(", ", spec.subcommands().keySet()));
  }

  /** What every subcommand shares: the node to ask and the output format. */
  abstract static class NodeCall implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
        description = "how long to wait for the node (default ${DEFAULT-VALUE})")
    int timeoutSeconds;

    @Parameters(index = "0", paramLabel = "HOST:PORT", description = "any node's braid address")
    String node;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
        description = "text or json")
    String format;

    abstract String call(ClusterBraid.Client client) throws StatusException;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      String name = spec.qualifiedName();
      if (!format.equals("text") && !format.equals("json")) {
        err.println(name + ": --format must be text or json, not '" + format + "'");
        err.flush();
        return 2;
      }
      Duration timeout = Duration.ofSeconds(Math.max(1, timeoutSeconds));
      try (ClientConnection c = ClientConnection.builder(node).connectTimeout(timeout)
          .connect()) {
        String text = call(ClusterBraid.newClient(c).withOptions(
            CallOptions.DEFAULT.withTimeout(timeout)));
        out.println(text);
        out.flush();
        return 0;
      } catch (IllegalArgumentException e) {
        err.println(name + ": bad address '" + node + "': " + e.getMessage());
      } catch (IOException e) {
        String m = String.valueOf(e.getMessage());
        err.println(name + ": " + (m.contains(node) ? m : "cannot connect to " + node + ": " + m));
      } catch (StatusException e) {
        err.println(name + ": " + node + " refused (code " + e.code() + "): "
            + e.status().message());
      }
      err.flush();
      return 1;
    }

    boolean json() {
      return format.equals("json");
    }
  }

  /** Feature subcommands: a FEATURE after the node. */
  abstract static class FeatureCall extends NodeCall {
    @Parameters(index = "1", paramLabel = "FEATURE", description = "e.g. POSITION_RANGE")
    String feature;

    abstract FeatureReply send(ClusterBraid.Client client, FeatureRequest r)
        throws StatusException;

    @Override
    String call(ClusterBraid.Client client) throws StatusException {
      FeatureReply r = send(client, FeatureRequest.newBuilder().setFeature(feature).build());
      return json()
          ? "{\"feature\": \"" + feature + "\", \"state\": \"" + r.getState()
              + "\", \"epoch\": " + r.getEpoch() + "}"
          : feature + ": " + r.getState() + " (epoch " + r.getEpoch() + ")";
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true,
      description = "Epoch, nodes, features (and why one is not enabled), verb counters.")
  static final class Status extends NodeCall {
    @Override
    String call(ClusterBraid.Client client) throws StatusException {
      ClusterStatus s = new ClusterStatus(client.status(StatusRequest.getDefaultInstance()));
      return json() ? s.toJson() : s.toText().stripTrailing();
    }
  }

  @Command(name = "hold", mixinStandardHelpOptions = true,
      description = "Keep FEATURE from being enabled (old releases can still boot and join).")
  static final class Hold extends FeatureCall {
    @Override
    FeatureReply send(ClusterBraid.Client client, FeatureRequest r) throws StatusException {
      return client.hold(r);
    }
  }

  @Command(name = "unhold", mixinStandardHelpOptions = true,
      description = "Let a held FEATURE be enabled once every normal node supports it.")
  static final class Unhold extends FeatureCall {
    @Override
    FeatureReply send(ClusterBraid.Client client, FeatureRequest r) throws StatusException {
      return client.unhold(r);
    }
  }

  @Command(name = "disable", mixinStandardHelpOptions = true,
      description = "Take an enabled reversible FEATURE back to held, waiting for every node.")
  static final class Disable extends FeatureCall {
    @Override
    FeatureReply send(ClusterBraid.Client client, FeatureRequest r) throws StatusException {
      return client.disable(r);
    }
  }

  @Command(name = "remove", mixinStandardHelpOptions = true,
      description = "Remove a dead node from the cluster and from Raft.")
  static final class Remove extends NodeCall {
    @Parameters(index = "1", paramLabel = "HOST_ID", description = "the dead node's host id")
    String hostId;

    @Override
    String call(ClusterBraid.Client client) throws StatusException {
      RemoveReply r = client.remove(RemoveRequest.newBuilder().setHostId(hostId).build());
      return json() ? "{\"removed\": \"" + hostId + "\", \"epoch\": " + r.getEpoch() + "}"
          : "removed " + hostId + " (epoch " + r.getEpoch() + ")";
    }
  }
}
