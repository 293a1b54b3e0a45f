package dev.braid.cluster;

import dev.braid.cluster.proto.Command;
import dev.braid.cluster.proto.CommandResult;
import dev.braid.cluster.proto.MetadataState;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.util.MD5FileUtil;
import org.apache.ratis.io.MD5Hash;

/**
 * The replicated cluster metadata on Ratis: applies {@link Command}s through
 * {@link Transitions} and persists the state in Ratis snapshots (the log holds the rest).
 *
 * <p>Threading: Ratis applies transactions one at a time on its state-machine updater thread;
 * {@link #state()} may be read from any thread (a volatile immutable value). The change
 * callback runs on the applier thread after each applied entry that changed the state, and
 * must not block on Raft.
 */
final class MetadataStateMachine extends BaseStateMachine {
  private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
  private final Transitions transitions;
  private final Consumer<MetadataState> onChange;
  private final Object appliedMonitor = new Object();
  private volatile MetadataState state = MetadataState.getDefaultInstance();

  private final Runnable beforeApply;

  MetadataStateMachine(Transitions transitions, Consumer<MetadataState> onChange,
      Runnable beforeApply) {
    this.transitions = transitions;
    this.onChange = onChange;
    this.beforeApply = beforeApply;
  }

  MetadataState state() {
    return state;
  }

  /** The Raft index of the last applied entry (of any kind). */
  long appliedIndex() {
    TermIndex ti = getLastAppliedTermIndex();
    return ti == null ? -1 : ti.getIndex();
  }

  /** Waits until {@link #appliedIndex()} reaches {@code index}; false on timeout. */
  boolean awaitApplied(long index, long timeoutNanos) throws InterruptedException {
    long deadline = System.nanoTime() + timeoutNanos;
    synchronized (appliedMonitor) {
      while (appliedIndex() < index) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        appliedMonitor.wait(Math.max(1, left / 1_000_000), 0);
      }
    }
    return true;
  }

  @Override
  public StateMachineStorage getStateMachineStorage() {
    return storage;
  }

  @Override
  public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage)
      throws IOException {
    super.initialize(server, groupId, raftStorage);
    storage.init(raftStorage);
    load(storage.loadLatestSnapshot());
  }

  /** Ratis pauses the state machine before it installs a snapshot from the leader. */
  @Override
  public void pause() {
    LifeCycle lc = getLifeCycle();
    if (lc.getCurrentState() == LifeCycle.State.NEW) {
      lc.transition(LifeCycle.State.STARTING);
      lc.transition(LifeCycle.State.RUNNING);
    }
    if (lc.getCurrentState() == LifeCycle.State.RUNNING) {
      lc.transition(LifeCycle.State.PAUSING);
      lc.transition(LifeCycle.State.PAUSED);
    }
  }

  /** Reloads the state from the snapshot the leader installed, and resumes. */
  @Override
  public void reinitialize() throws IOException {
    load(storage.loadLatestSnapshot());
    LifeCycle lc = getLifeCycle();
    if (lc.getCurrentState() == LifeCycle.State.PAUSED) {
      lc.transition(LifeCycle.State.STARTING);
      lc.transition(LifeCycle.State.RUNNING);
    }
  }

  private void load(SingleFileSnapshotInfo snapshot) throws IOException {
    if (snapshot == null) {
      return;
    }
    File f = snapshot.getFile().getPath().toFile();
    try (InputStream in = Files.newInputStream(f.toPath())) {
      state = MetadataState.parseFrom(in);
    }
    setLastAppliedTermIndex(snapshot.getTermIndex());
    onChange.accept(state);
    signal();
  }

  @Override
  public long takeSnapshot() throws IOException {
    MetadataState s = state;
    TermIndex last = getLastAppliedTermIndex();
    if (last == null || last.getIndex() < 0) {
      return -1;
    }
    File f = storage.getSnapshotFile(last.getTerm(), last.getIndex());
    File tmp = new File(f.getPath() + ".tmp");
    try (OutputStream out = Files.newOutputStream(tmp.toPath())) {
      s.writeTo(out);
    }
    Files.move(tmp.toPath(), f.toPath(), StandardCopyOption.ATOMIC_MOVE);
    MD5Hash md5 = MD5FileUtil.computeAndSaveMd5ForFile(f);
    storage.updateLatestSnapshot(new SingleFileSnapshotInfo(
        new org.apache.ratis.server.storage.FileInfo(f.toPath(), md5), last));
    return last.getIndex();
  }

  @Override
  public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
    beforeApply.run();
    LogEntryProto entry = trx.getLogEntry();
    long index = entry.getIndex();
    CommandResult result;
    boolean changed = false;
    synchronized (this) {
      Command c;
      try {
        c = Command.parseFrom(entry.getStateMachineLogEntry().getLogData().toByteArray());
        Transitions.Applied a = transitions.apply(state, c, index);
        result = a.result();
        changed = result.getChanged();
        state = a.state();
      } catch (com.google.protobuf.InvalidProtocolBufferException e) {
        result = CommandResult.newBuilder().setOk(false).setError("malformed command")
            .setEpoch(state.getEpoch()).build();
      }
      updateLastAppliedTermIndex(entry.getTerm(), index);
    }
    if (changed) {
      onChange.accept(state);
    }
    signal();
    return CompletableFuture.completedFuture(
        Message.valueOf(ByteString.copyFrom(result.toByteArray())));
  }

  @Override
  public void notifyTermIndexUpdated(long term, long index) {
    super.notifyTermIndexUpdated(term, index);
    signal();
  }

  private void signal() {
    synchronized (appliedMonitor) {
      appliedMonitor.notifyAll();
    }
  }
}
