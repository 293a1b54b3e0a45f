package dev.braid.wire;

import static dev.braid.wire.TestBytes.ascii;
import static dev.braid.wire.TestBytes.drain;
import static dev.braid.wire.TestBytes.hex;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The published known-answer vectors of the DRPC wire format (reference §1.10, plus the
 * upstream {@code TestStream_CorkUntilFirstRead} vector): every one is encoded byte-exactly
 * and parsed back through {@link PacketReader}.
 */
class WireVectorsTest {
  private static final String METHOD1 = "/service.Service/Method1";
  private static final String EAT_COOKIE = "/sesamestreet.CookieMonster/EatCookie";

  // A. Unary call, integration service.
  static final String A_INVOKE =
      "03 01 01 18 2f 73 65 72 76 69 63 65 2e 53 65 72 76 69 63 65 2f 4d 65 74 68 6f 64 31";
  static final String A_MESSAGE = "05 01 02 02 08 01";
  static final String A_CLOSE_SEND = "0d 01 03 00";
  static final String A_SERVER_MESSAGE = "05 01 01 02 08 01";
  static final String A_SERVER_CLOSE_SEND = "0d 01 02 00";
  static final String A_CLOSE = "0b 01 04 00";
  static final String A_SECOND_CALL_PREFIX = "03 02 01 18 2f 73";

  // B. The same call with metadata {"key":"value"}, to /sesamestreet.CookieMonster/EatCookie.
  static final String B_METADATA_BODY = "0a 0c 0a 03 6b 65 79 12 05 76 61 6c 75 65";
  static final String B_METADATA = "0f 01 01 0e " + B_METADATA_BODY;
  static final String B_INVOKE = "03 01 02 25 2f 73 65 73 61 6d 65 73 74 72 65 65 74 2e 43 6f"
      + " 6f 6b 69 65 4d 6f 6e 73 74 65 72 2f 45 61 74 43 6f 6f 6b 69 65";
  static final String B_MESSAGE = "05 01 03 02 08 01";
  static final String B_CLOSE_SEND = "0d 01 04 00";
  static final String B_SERVER_MESSAGE = "05 01 01 04 0a 02 08 01";
  static final String B_SERVER_CLOSE_SEND = "0d 01 02 00";

  // C. Error replies.
  static final String C_ERROR_5_BODY = "00 00 00 00 00 00 00 05 74 65 73 74";
  static final String C_ERROR_5 = "07 01 01 0c " + C_ERROR_5_BODY;
  static final String C_ERROR_12_BODY =
      "00 00 00 00 00 00 00 0c 55 6e 69 6d 70 6c 65 6d 65 6e 74 65 64";
  static final String C_ERROR_12 = "07 01 01 15 " + C_ERROR_12_BODY;

  // D. Soft cancel on stream 1 after four packets.
  static final String D_CANCEL = "89 01 05 00";

  // F. Fork-only window update, stream 7, delta 131072.
  static final String F_WINDOW_UPDATE = "91 07 00 03 80 80 08";

  // drpcstream TestStream_CorkUntilFirstRead: Message, stream 0, message 1, "write".
  static final String CORK_UNTIL_FIRST_READ = "05 00 01 05 77 72 69 74 65";

  private static final byte[] IN_1 = hex("08 01");
  private static final byte[] EMPTY = new byte[0];

  /** Every single-frame vector that a {@link PacketReader} accepts on its own. */
  static Stream<Arguments> singleFrameVectors() {
    return Stream.of(
        Arguments.of("A invoke", A_INVOKE, Packet.of(Kind.INVOKE, 1, 1, ascii(METHOD1))),
        Arguments.of("A message", A_MESSAGE, Packet.of(Kind.MESSAGE, 1, 2, IN_1)),
        Arguments.of("A close send", A_CLOSE_SEND, Packet.of(Kind.CLOSE_SEND, 1, 3, EMPTY)),
        Arguments.of("A server message", A_SERVER_MESSAGE, Packet.of(Kind.MESSAGE, 1, 1, IN_1)),
        Arguments.of("A server close send", A_SERVER_CLOSE_SEND,
            Packet.of(Kind.CLOSE_SEND, 1, 2, EMPTY)),
        Arguments.of("A close", A_CLOSE, Packet.of(Kind.CLOSE, 1, 4, EMPTY)),
        Arguments.of("B metadata", B_METADATA,
            Packet.of(Kind.INVOKE_METADATA, 1, 1, hex(B_METADATA_BODY))),
        Arguments.of("B invoke", B_INVOKE, Packet.of(Kind.INVOKE, 1, 2, ascii(EAT_COOKIE))),
        Arguments.of("B message", B_MESSAGE, Packet.of(Kind.MESSAGE, 1, 3, IN_1)),
        Arguments.of("B close send", B_CLOSE_SEND, Packet.of(Kind.CLOSE_SEND, 1, 4, EMPTY)),
        Arguments.of("B server message", B_SERVER_MESSAGE,
            Packet.of(Kind.MESSAGE, 1, 1, hex("0a 02 08 01"))),
        Arguments.of("B server close send", B_SERVER_CLOSE_SEND,
            Packet.of(Kind.CLOSE_SEND, 1, 2, EMPTY)),
        Arguments.of("C error 5", C_ERROR_5, Packet.of(Kind.ERROR, 1, 1, hex(C_ERROR_5_BODY))),
        Arguments.of("C error 12", C_ERROR_12,
            Packet.of(Kind.ERROR, 1, 1, hex(C_ERROR_12_BODY))),
        Arguments.of("D cancel", D_CANCEL, new Packet(Kind.CANCEL, true, 1, 5, EMPTY)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("singleFrameVectors")
  void encodesByteExactly(String name, String vector, Packet packet) {
    byte[] expected = hex(vector);
    assertThat(Frames.encode(packet, Frames.DEFAULT_SPLIT_SIZE)).isEqualTo(expected);
    assertThat(Frames.encode(packet, -1)).isEqualTo(expected);
    assertThat(Frames.frame(packet.kind(), packet.control(), true, packet.streamId(),
        packet.messageId(), packet.data())).isEqualTo(expected);
    assertThat(Frames.encodedSize(packet.streamId(), packet.messageId(), packet.data().length,
        Frames.DEFAULT_SPLIT_SIZE)).isEqualTo(expected.length);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("singleFrameVectors")
  void parsesToThePacket(String name, String vector, Packet packet) {
    PacketReader reader = new PacketReader();
    reader.feed(hex(vector));
    Packet got = reader.poll();
    assertThat(got).isEqualTo(packet);
    assertThat(got.kind()).isEqualTo(packet.kind());
    assertThat(got.control()).isEqualTo(packet.control());
    assertThat(got.streamId()).isEqualTo(packet.streamId());
    assertThat(got.messageId()).isEqualTo(packet.messageId());
    assertThat(got.data()).isEqualTo(packet.data());
    assertThat(reader.poll()).isNull();
    assertThat(reader.buffered()).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("singleFrameVectors")
  void parsesWhenFedOneByteAtATime(String name, String vector, Packet packet) {
    byte[] bytes = hex(vector);
    PacketReader reader = new PacketReader();
    for (int i = 0; i < bytes.length - 1; i++) {
      reader.feed(bytes, i, 1);
      assertThat(reader.poll()).as("after %d of %d bytes", i + 1, bytes.length).isNull();
    }
    reader.feed(bytes, bytes.length - 1, 1);
    assertThat(reader.poll()).isEqualTo(packet);
  }

  @Nested
  @DisplayName("A. unary call")
  class UnaryCall {
    @Test
    void clientPacketsInOneWriteParseInOrder() {
      PacketReader server = new PacketReader();
      server.feed(hex(A_INVOKE + A_MESSAGE + A_CLOSE_SEND));
      assertThat(drain(server)).containsExactly(
          Packet.of(Kind.INVOKE, 1, 1, ascii(METHOD1)),
          Packet.of(Kind.MESSAGE, 1, 2, IN_1),
          Packet.of(Kind.CLOSE_SEND, 1, 3, EMPTY));
      // The optional trailing Close (message 4) is accepted after them.
      server.feed(hex(A_CLOSE));
      assertThat(drain(server)).containsExactly(Packet.of(Kind.CLOSE, 1, 4, EMPTY));
    }

    @Test
    void serverReplyParses() {
      PacketReader client = new PacketReader();
      client.feed(hex(A_SERVER_MESSAGE + A_SERVER_CLOSE_SEND));
      assertThat(drain(client)).containsExactly(
          Packet.of(Kind.MESSAGE, 1, 1, IN_1),
          Packet.of(Kind.CLOSE_SEND, 1, 2, EMPTY));
    }

    @Test
    void invokeNameIs24Bytes() {
      assertThat(ascii(METHOD1)).hasSize(0x18);
    }

    @Test
    void secondCallUsesStream2() {
      byte[] encoded = Frames.encode(Packet.of(Kind.INVOKE, 2, 1, ascii(METHOD1)), 0);
      byte[] prefix = hex(A_SECOND_CALL_PREFIX);
      assertThat(Arrays.copyOf(encoded, prefix.length)).isEqualTo(prefix);
      assertThat(Arrays.copyOfRange(encoded, 4, encoded.length)).isEqualTo(ascii(METHOD1));

      // Parsed after the first call on the same connection.
      PacketReader server = new PacketReader();
      server.feed(hex(A_INVOKE + A_MESSAGE + A_CLOSE_SEND + A_CLOSE));
      server.feed(encoded);
      List<Packet> packets = drain(server);
      assertThat(packets).hasSize(5);
      assertThat(packets.get(4)).isEqualTo(Packet.of(Kind.INVOKE, 2, 1, ascii(METHOD1)));
    }
  }

  @Nested
  @DisplayName("B. unary call with metadata")
  class WithMetadata {
    @Test
    void metadataBodyIsTheEncodingOfKeyValue() {
      assertThat(InvokeMetadata.encode(Map.of("key", "value"))).isEqualTo(hex(B_METADATA_BODY));
      assertThat(InvokeMetadata.size(Map.of("key", "value"))).isEqualTo(0x0e);
    }

    @Test
    void cookieMonsterNameIs37Bytes() {
      assertThat(ascii(EAT_COOKIE)).hasSize(37).hasSize(0x25);
    }

    @Test
    void clientPacketsParseAndMetadataDecodes() {
      PacketReader server = new PacketReader();
      server.feed(hex(B_METADATA + B_INVOKE + B_MESSAGE + B_CLOSE_SEND));
      List<Packet> packets = drain(server);
      assertThat(packets).extracting(Packet::kind).containsExactly(
          Kind.INVOKE_METADATA, Kind.INVOKE, Kind.MESSAGE, Kind.CLOSE_SEND);
      assertThat(packets).extracting(Packet::messageId).containsExactly(1L, 2L, 3L, 4L);
      assertThat(packets).extracting(Packet::streamId).containsOnly(1L);
      assertThat(packets).extracting(Packet::control).containsOnly(false);
      assertThat(InvokeMetadata.decode(packets.get(0).data()))
          .containsExactlyEntriesOf(Map.of("key", "value"));
      assertThat(packets.get(1).data()).isEqualTo(ascii(EAT_COOKIE));
      assertThat(packets.get(2).data()).isEqualTo(IN_1);
    }

    @Test
    void serverReplyParses() {
      PacketReader client = new PacketReader();
      client.feed(hex(B_SERVER_MESSAGE + B_SERVER_CLOSE_SEND));
      assertThat(drain(client)).containsExactly(
          Packet.of(Kind.MESSAGE, 1, 1, hex("0a 02 08 01")),
          Packet.of(Kind.CLOSE_SEND, 1, 2, EMPTY));
    }
  }

  @Nested
  @DisplayName("C. error replies")
  class ErrorReplies {
    @Test
    void code5Test() {
      assertThat(ErrorBody.encode(5, "test")).isEqualTo(hex(C_ERROR_5_BODY));
      Packet p = parseOne(C_ERROR_5);
      assertThat(p.kind()).isEqualTo(Kind.ERROR);
      assertThat(ErrorBody.decode(p.data())).isEqualTo(new ErrorBody(5, "test"));
    }

    @Test
    void code12Unimplemented() {
      assertThat(ErrorBody.encode(12, "Unimplemented")).isEqualTo(hex(C_ERROR_12_BODY));
      Packet p = parseOne(C_ERROR_12);
      assertThat(p.kind()).isEqualTo(Kind.ERROR);
      assertThat(ErrorBody.decode(p.data())).isEqualTo(new ErrorBody(12, "Unimplemented"));
    }
  }

  @Nested
  @DisplayName("D. soft cancel")
  class SoftCancel {
    @Test
    void headerIsControlCancelDone() {
      assertThat(FrameHeader.headerByte(Kind.CANCEL, true, true)).isEqualTo(0x89);
    }

    @Test
    void cancelAfterFourPacketsIsAControlPacket() {
      PacketReader server = new PacketReader();
      server.feed(hex(B_METADATA + B_INVOKE + B_MESSAGE + B_CLOSE_SEND + D_CANCEL));
      List<Packet> packets = drain(server);
      assertThat(packets).hasSize(5);
      Packet cancel = packets.get(4);
      assertThat(cancel.kind()).isEqualTo(Kind.CANCEL);
      assertThat(cancel.control()).isTrue();
      assertThat(cancel.streamId()).isEqualTo(1);
      assertThat(cancel.messageId()).isEqualTo(5);
      assertThat(cancel.data()).isEmpty();
    }
  }

  @Nested
  @DisplayName("E. split message")
  class SplitMessage {
    private final byte[] body = TestBytes.pattern(70_000, 3);
    private final Packet packet = Packet.of(Kind.MESSAGE, 1, 3, body);

    @Test
    void goesOutAsTwoFramesWithThePublishedHeaders() {
      byte[] encoded = Frames.encode(packet, Frames.DEFAULT_SPLIT_SIZE);
      byte[] first = hex("04 01 03 80 80 04");
      byte[] second = hex("05 01 03 f0 22");
      assertThat(encoded).hasSize(first.length + 65_536 + second.length + 4_464);
      assertThat(Arrays.copyOfRange(encoded, 0, first.length)).isEqualTo(first);
      assertThat(Arrays.copyOfRange(encoded, first.length, first.length + 65_536))
          .isEqualTo(Arrays.copyOfRange(body, 0, 65_536));
      int secondAt = first.length + 65_536;
      assertThat(Arrays.copyOfRange(encoded, secondAt, secondAt + second.length))
          .isEqualTo(second);
      assertThat(Arrays.copyOfRange(encoded, secondAt + second.length, encoded.length))
          .isEqualTo(Arrays.copyOfRange(body, 65_536, 70_000));
      assertThat(Frames.frameCount(70_000, Frames.DEFAULT_SPLIT_SIZE)).isEqualTo(2);
      assertThat(Frames.encodedSize(1, 3, 70_000, Frames.DEFAULT_SPLIT_SIZE))
          .isEqualTo(encoded.length);
    }

    @Test
    void parsesBackToOnePacketOnlyAfterTheDoneFrame() {
      byte[] encoded = Frames.encode(packet, Frames.DEFAULT_SPLIT_SIZE);
      int firstFrame = 6 + 65_536;
      PacketReader reader = new PacketReader();
      reader.feed(encoded, 0, firstFrame);
      assertThat(reader.poll()).isNull();
      assertThat(reader.buffered()).isZero(); // the first frame was consumed into the packet
      reader.feed(encoded, firstFrame, encoded.length - firstFrame);
      assertThat(reader.poll()).isEqualTo(packet);
      assertThat(reader.poll()).isNull();
    }
  }

  @Nested
  @DisplayName("F. window update (fork)")
  class WindowUpdate {
    @Test
    void encodesByteExactly() {
      byte[] body = new byte[Varint.size(131_072)];
      Varint.write(body, 0, 131_072);
      assertThat(body).isEqualTo(hex("80 80 08"));
      assertThat(Frames.frame(Kind.WINDOW_UPDATE, true, true, 7, 0, body))
          .isEqualTo(hex(F_WINDOW_UPDATE));
      assertThat(FrameHeader.headerByte(Kind.WINDOW_UPDATE, true, true)).isEqualTo(0x91);
    }

    @Test
    void headerAndVarintBodyParse() {
      ByteBuffer buf = ByteBuffer.wrap(hex(F_WINDOW_UPDATE));
      FrameHeader h = new FrameHeader();
      assertThat(h.parse(buf, Frames.DEFAULT_MAX_PACKET_SIZE))
          .isEqualTo(FrameHeader.Result.COMPLETE);
      assertThat(h.kind).isEqualTo(Kind.WINDOW_UPDATE);
      assertThat(h.control).isTrue();
      assertThat(h.done).isTrue();
      assertThat(h.streamId).isEqualTo(7);
      assertThat(h.messageId).isZero();
      assertThat(h.length).isEqualTo(3);
      assertThat(h.headerSize).isEqualTo(4);
      buf.position(h.headerSize);
      assertThat(Varint.read(buf)).isEqualTo(131_072);
      assertThat(buf.hasRemaining()).isFalse();
    }
  }

  @Test
  @DisplayName("G. kind names")
  void kindNames() {
    assertThat(Kind.name(Kind.INVOKE)).isEqualTo("Invoke");
    assertThat(Kind.name(Kind.MESSAGE)).isEqualTo("Message");
    assertThat(Kind.name(Kind.ERROR)).isEqualTo("Error");
    assertThat(Kind.name(Kind.CANCEL)).isEqualTo("Cancel");
    assertThat(Kind.name(Kind.CLOSE)).isEqualTo("Close");
    assertThat(Kind.name(Kind.CLOSE_SEND)).isEqualTo("CloseSend");
    assertThat(Kind.name(Kind.INVOKE_METADATA)).isEqualTo("InvokeMetadata");
    assertThat(Kind.name(Kind.WINDOW_UPDATE)).isEqualTo("WindowUpdate");
  }

  @Nested
  @DisplayName("upstream TestStream_CorkUntilFirstRead")
  class CorkUntilFirstRead {
    @Test
    void messageOnStream0EncodesByteExactly() {
      byte[] expected = hex(CORK_UNTIL_FIRST_READ);
      assertThat(Frames.frame(Kind.MESSAGE, false, true, 0, 1, ascii("write")))
          .isEqualTo(expected);
      assertThat(Frames.encode(Packet.of(Kind.MESSAGE, 0, 1, ascii("write")), 0))
          .isEqualTo(expected);
    }
  }

  private static Packet parseOne(String vector) {
    PacketReader reader = new PacketReader();
    reader.feed(hex(vector));
    Packet p = reader.poll();
    assertThat(p).isNotNull();
    assertThat(reader.poll()).isNull();
    return p;
  }
}
