package dev.braid.protobuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.BytesValue;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.braid.protobuf.stub.ClientStubs;
import dev.braid.protobuf.stub.ServerHandlers;
import dev.braid.rpc.BraidServer;
import dev.braid.rpc.CallOptions;
import dev.braid.rpc.ClientConnection;
import dev.braid.rpc.ClientStream;
import dev.braid.rpc.Code;
import dev.braid.rpc.MethodDescriptor;
import dev.braid.rpc.MethodType;
import dev.braid.rpc.StatusException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProtoEncodingTest {
  static Struct sample(int n) {
    Struct.Builder b = Struct.newBuilder();
    for (int i = 0; i < n; i++) {
      b.putFields("k" + i, Value.newBuilder().setListValue(ListValue.newBuilder()
          .addValues(Value.newBuilder().setStringValue("v" + i))
          .addValues(Value.newBuilder().setNumberValue(i))).build());
    }
    return b.build();
  }

  @Test
  void encodesIntoHeapDirectAndOffsetBuffersWithoutCopies() throws Exception {
    ProtoEncoding<Struct> enc = ProtoEncoding.of(Struct.getDefaultInstance());
    for (int n : new int[] {0, 1, 10, 3000}) {
      Struct s = sample(n);
      int size = enc.encodedSize(s);
      assertThat(size).isEqualTo(s.toByteArray().length);
      for (boolean direct : new boolean[] {false, true}) {
        ByteBuffer whole = direct ? ByteBuffer.allocateDirect(size + 13)
            : ByteBuffer.allocate(size + 13);
        // braid hands the encoding a window of exactly the message's size
        whole.position(7).limit(7 + size);
        ByteBuffer window = whole.slice();
        enc.encode(s, window);
        assertThat(window.remaining()).isZero();
        window.flip();
        assertThat(enc.decode(window)).isEqualTo(s);
        whole.position(7).limit(7 + size);
        byte[] copy = new byte[size];
        whole.get(copy);
        assertThat(copy).isEqualTo(s.toByteArray());
      }
    }
  }

  @Test
  void decodesFromTheRemainingBytesOnly() throws Exception {
    ProtoEncoding<FileDescriptorProto> enc = ProtoEncoding.of(FileDescriptorProto.parser());
    FileDescriptorProto f = FileDescriptorProto.newBuilder().setName("a.proto")
        .setPackage("p").build();
    byte[] bytes = f.toByteArray();
    ByteBuffer buf = ByteBuffer.allocate(bytes.length + 4);
    buf.put((byte) 0xff).put((byte) 0xff).put(bytes).put((byte) 0xff).put((byte) 0xff);
    buf.position(2).limit(2 + bytes.length);
    assertThat(enc.decode(buf)).isEqualTo(f);
    assertThat(enc.decode(ByteBuffer.allocate(0))).isEqualTo(
        FileDescriptorProto.getDefaultInstance());
  }

  @Test
  void bytesFieldsReferToTheReceivedArrayInsteadOfCopyingIt() throws Exception {
    ProtoEncoding<BytesValue> enc = ProtoEncoding.of(BytesValue.parser());
    byte[] wire = BytesValue.of(ByteString.copyFromUtf8("payload")).toByteArray();
    BytesValue v = enc.decode(ByteBuffer.wrap(wire));
    assertThat(v.getValue().toStringUtf8()).isEqualTo("payload");
    wire[wire.length - 1] = 'X'; // braid never does this; here it shows nothing was copied
    assertThat(v.getValue().toStringUtf8()).isEqualTo("payloaX");
  }

  @Test
  void rejectsAnEndGroupTagThatWouldEndTheMessageEarly() {
    ProtoEncoding<BytesValue> enc = ProtoEncoding.of(BytesValue.parser());
    byte[] wire = BytesValue.of(ByteString.copyFromUtf8("a")).toByteArray();
    byte[] withEndGroup = java.util.Arrays.copyOf(wire, wire.length + 1);
    withEndGroup[wire.length] = 0x0c; // field 1, wire type 4 (end group)
    assertThatThrownBy(() -> enc.decode(ByteBuffer.wrap(withEndGroup)))
        .isInstanceOf(InvalidProtocolBufferException.class);
  }

  @Test
  void rejectsGarbageAndMessagesThatDoNotFit() {
    ProtoEncoding<Struct> enc = ProtoEncoding.of(Struct.parser());
    assertThatThrownBy(() -> enc.decode(ByteBuffer.wrap(new byte[] {(byte) 0x0a, 0x7f})))
        .isInstanceOf(InvalidProtocolBufferException.class);
    Struct s = sample(3);
    assertThatThrownBy(() -> enc.encode(s, ByteBuffer.allocate(enc.encodedSize(s) - 1)))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> enc.encode(s, ByteBuffer.allocate(enc.encodedSize(s) + 1)))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void carriesMessagesThroughABraidServer() throws Exception {
    ProtoEncoding<Struct> enc = ProtoEncoding.of(Struct.getDefaultInstance());
    var unary = MethodDescriptor.of("/t.S/Unary", MethodType.UNARY, enc, enc);
    var serverStream = MethodDescriptor.of("/t.S/Server", MethodType.SERVER_STREAMING, enc, enc);
    var clientStream = MethodDescriptor.of("/t.S/Client", MethodType.CLIENT_STREAMING, enc, enc);
    var missing = MethodDescriptor.of("/t.S/Missing", MethodType.UNARY, enc, enc);
    try (BraidServer server = BraidServer.builder()
        .addUnary(unary, (q, ctx) -> q.toBuilder().putFields("seen",
            Value.newBuilder().setBoolValue(true).build()).build())
        .addStream(serverStream, ServerHandlers.serverStreaming((q, out) -> {
          for (int i = 0; i < q.getFieldsCount(); i++) {
            out.send(sample(i));
          }
        }))
        .addStream(clientStream, ServerHandlers.clientStreaming(in -> {
          int count = 0;
          while (in.receive() != null) {
            count++;
          }
          return sample(count);
        }))
        .addUnary(missing, (q, ctx) -> {
          throw ServerHandlers.unimplemented();
        })
        .build().start();
        ClientConnection conn = ClientConnection.connect("127.0.0.1:" + server.port())) {
      Struct big = sample(20_000); // several frames
      assertThat(conn.invoke(unary, big).getFieldsMap()).containsKey("seen").hasSize(20_001);

      List<Struct> got = new ArrayList<>();
      ClientStubs.serverStreaming(conn, serverStream, sample(4), CallOptions.DEFAULT, got::add);
      assertThat(got).containsExactly(sample(0), sample(1), sample(2), sample(3));

      try (ClientStream<Struct, Struct> s = ClientStubs.serverStreaming(conn, serverStream,
          sample(2), CallOptions.DEFAULT)) {
        assertThat(s.receive()).isEqualTo(sample(0));
        assertThat(s.receive()).isEqualTo(sample(1));
        assertThat(s.receive()).isNull();
      }

      assertThat(ClientStubs.clientStreaming(conn, clientStream,
          List.of(sample(1), sample(2), sample(3)), CallOptions.DEFAULT)).isEqualTo(sample(3));

      assertThatThrownBy(() -> conn.invoke(missing, sample(1)))
          .isInstanceOfSatisfying(StatusException.class, e -> {
            assertThat(e.code()).isEqualTo(Code.UNIMPLEMENTED);
            assertThat(e.status().message()).isEqualTo("Unimplemented");
          });
    }
  }
}
