import { describe, expect, it } from "vitest";
import { ZStartSession } from "./fleet";
import {
  decodeFrame,
  encodeFrame,
  FRAME_HEADER_BYTES,
  FrameDecodeError,
  frameToViewport,
  type TFrameHeader,
  ZClientMessage,
} from "./stream";

const header: TFrameHeader = {
  frameId: 42,
  lastInputSeq: 7,
  timestamp: 1_790_000_000_123.5,
  deviceWidth: 1280,
  deviceHeight: 800,
  offsetTop: 0,
  pageScaleFactor: 1,
  scrollOffsetX: 0,
  scrollOffsetY: 312,
};

describe("binary frames", () => {
  it("round-trips the header and hands back the JPEG bytes untouched", () => {
    const jpeg = new Uint8Array([0xff, 0xd8, 1, 2, 3, 0xff, 0xd9]);
    const encoded = encodeFrame(header, jpeg);
    expect(encoded.byteLength).toBe(FRAME_HEADER_BYTES + jpeg.byteLength);
    // Decoding works on a view into a larger buffer, as WebSocket libraries hand them out.
    const padded = new Uint8Array(encoded.byteLength + 10);
    padded.set(encoded, 10);
    const decoded = decodeFrame(padded.subarray(10));
    expect(decoded.header).toEqual(header);
    expect([...decoded.jpeg]).toEqual([...jpeg]);
  });

  it("keeps 'no input yet' distinct from seq 0", () => {
    const none = decodeFrame(encodeFrame({ ...header, lastInputSeq: null }, new Uint8Array()));
    const zero = decodeFrame(encodeFrame({ ...header, lastInputSeq: 0 }, new Uint8Array()));
    expect(none.header.lastInputSeq).toBeNull();
    expect(zero.header.lastInputSeq).toBe(0);
  });

  it("rejects what is not a frame", () => {
    expect(() => decodeFrame(new Uint8Array(10))).toThrow(FrameDecodeError);
    const wrong = encodeFrame(header, new Uint8Array(4));
    wrong[0] = 0;
    expect(() => decodeFrame(wrong)).toThrow(FrameDecodeError);
  });

  it("maps a click on the displayed frame back to viewport pixels", () => {
    expect(frameToViewport(header, { x: 320, y: 200 }, { width: 640, height: 400 })).toEqual({
      x: 640,
      y: 400,
    });
  });
});

describe("client messages", () => {
  it("accepts input with defaults and refuses anything malformed", () => {
    expect(
      ZClientMessage.parse({ type: "mouse", seq: 1, action: "click", x: 10, y: 20 }),
    ).toMatchObject({ button: "left", clickCount: 1 });
    for (const bad of [
      { type: "mouse", seq: 1, action: "teleport", x: 1, y: 1 },
      { type: "key", seq: -1, action: "down", key: "a" },
      { type: "insertText", seq: 1, text: "" },
      { type: "eval", seq: 1, code: "alert(1)" },
      { type: "mouse", seq: 1, action: "move", x: Number.NaN, y: 0 },
    ]) {
      expect(ZClientMessage.safeParse(bad).success).toBe(false);
    }
  });
});

describe("start session", () => {
  it("takes only http(s) login URLs", () => {
    const body = {
      sessionId: "session-123456",
      provider: { id: "p", loginUrl: "file:///etc/passwd", allowedHostnames: ["example.com"] },
      viewport: { width: 1280, height: 800 },
    };
    expect(ZStartSession.safeParse(body).success).toBe(false);
    body.provider.loginUrl = "https://example.com/login";
    expect(ZStartSession.parse(body)).toMatchObject({ mode: "interactive" });
  });
});

describe("viewport bounds", () => {
  it("refuses a viewport that would run a worker out of memory, saying the limit", () => {
    const huge = ZClientMessage.safeParse({
      type: "resize",
      seq: 1,
      viewport: { width: 3840, height: 2160, deviceScaleFactor: 4 },
    });
    expect(huge.success).toBe(false);
    expect(JSON.stringify(huge.error?.issues)).toContain("at most 1920 px wide");
  });
  it("accepts a phone at DPR 3 and a full-HD desktop", () => {
    for (const viewport of [
      { width: 390, height: 844, deviceScaleFactor: 3 },
      { width: 1920, height: 1080, deviceScaleFactor: 1 },
    ]) {
      expect(ZClientMessage.safeParse({ type: "resize", seq: 1, viewport }).success).toBe(true);
    }
  });
});
