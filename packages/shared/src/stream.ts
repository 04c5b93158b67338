// Stream protocol between the recipient's page (through the API relay) and a browser
// worker. Frames travel as BINARY WebSocket messages (fixed header + JPEG bytes, never
// base64 JSON); everything else is small JSON text messages validated by the unions
// below. This module runs in the browser too: no Node Buffer, only Uint8Array/DataView.
import { z } from "zod";

// ---------------------------------------------------------------------------------------
// Client → worker

const ZSeq = z.number().int().nonnegative();
const ZCoord = z.number().finite().min(-100_000).max(100_000);

/** Modifier keys held during an input event. */
export const ZModifiers = z
  .object({
    alt: z.boolean().optional(),
    ctrl: z.boolean().optional(),
    meta: z.boolean().optional(),
    shift: z.boolean().optional(),
  })
  .strict();
export type TModifiers = z.infer<typeof ZModifiers>;

export const ZMouseButton = z.enum(["none", "left", "middle", "right"]);

/** Coordinates are CSS pixels of the remote viewport; map them with `frameToViewport`. */
const ZMouse = z.object({
  type: z.literal("mouse"),
  seq: ZSeq,
  action: z.enum(["move", "down", "up", "click"]),
  x: ZCoord,
  y: ZCoord,
  button: ZMouseButton.default("left"),
  clickCount: z.number().int().min(1).max(3).default(1),
  modifiers: ZModifiers.optional(),
});

const ZWheel = z.object({
  type: z.literal("wheel"),
  seq: ZSeq,
  x: ZCoord,
  y: ZCoord,
  deltaX: ZCoord.default(0),
  deltaY: ZCoord.default(0),
  modifiers: ZModifiers.optional(),
});

/** A DOM KeyboardEvent as seen by the client (`key` "a", "Enter"…; `code` "KeyA"…). */
const ZKey = z.object({
  type: z.literal("key"),
  seq: ZSeq,
  action: z.enum(["down", "up"]),
  key: z.string().min(1).max(32),
  code: z.string().max(32).default(""),
  modifiers: ZModifiers.optional(),
  repeat: z.boolean().optional(),
});

/** Text committed without key events (mobile keyboards, autofill, dictation). */
const ZInsertText = z.object({
  type: z.literal("insertText"),
  seq: ZSeq,
  text: z.string().min(1).max(4096),
});

/** IME composition in progress ("update") or committed ("commit") / abandoned ("cancel"). */
const ZComposition = z.object({
  type: z.literal("composition"),
  seq: ZSeq,
  action: z.enum(["update", "commit", "cancel"]),
  text: z.string().max(4096),
});

const ZPaste = z.object({
  type: z.literal("paste"),
  seq: ZSeq,
  text: z.string().max(65_536),
});

const ZTouch = z.object({
  type: z.literal("touch"),
  seq: ZSeq,
  action: z.enum(["tap", "scroll"]),
  x: ZCoord,
  y: ZCoord,
  deltaX: ZCoord.default(0),
  deltaY: ZCoord.default(0),
});

/**
 * Bounds of a remote viewport. One recipient must not run a worker out of memory: the
 * page is rendered at most at `maxRenderScale` (a DPR 3 phone gets 2, which is sharp at
 * its size), so the largest render is 1920×1200 CSS px at 2× (9.2 MP).
 */
export const VIEWPORT_LIMITS = { minSide: 200, maxWidth: 1920, maxHeight: 1200, maxRenderScale: 2 };

/** The client's viewport in CSS pixels and its device pixel ratio. */
export const ZViewport = z.object({
  width: z
    .number()
    .int()
    .min(VIEWPORT_LIMITS.minSide)
    .max(VIEWPORT_LIMITS.maxWidth, { error: `at most ${VIEWPORT_LIMITS.maxWidth} px wide` }),
  height: z
    .number()
    .int()
    .min(VIEWPORT_LIMITS.minSide)
    .max(VIEWPORT_LIMITS.maxHeight, { error: `at most ${VIEWPORT_LIMITS.maxHeight} px high` }),
  deviceScaleFactor: z.number().min(0.5).max(4).default(1),
});
export type TViewport = z.infer<typeof ZViewport>;

const ZResize = z.object({ type: z.literal("resize"), seq: ZSeq, viewport: ZViewport });

const ZNavigate = z.object({
  type: z.literal("navigate"),
  seq: ZSeq,
  action: z.enum(["back", "forward", "reload"]),
});

/** Answer to a `dialog` server message. */
const ZDialogAnswer = z.object({
  type: z.literal("dialogAnswer"),
  seq: ZSeq,
  dialogId: z.string().min(1).max(64),
  accept: z.boolean(),
  promptText: z.string().max(4096).optional(),
});

/** Answer to an `outcome` message with outcome "unsure" ("are you signed in?"). */
const ZSignedInAnswer = z.object({
  type: z.literal("signedInAnswer"),
  seq: ZSeq,
  signedIn: z.boolean(),
});

/**
 * Optional, sent by the client once it has decoded (painted) a frame. A client that acks
 * gets end-to-end backpressure: the worker keeps at most FRAME_ACK_WINDOW frames
 * un-acked, so even kernel socket buffers never hold a backlog. Not user activity (does
 * not reset the idle timeout) and carries no `seq`.
 */
const ZFrameAck = z.object({
  type: z.literal("frameAck"),
  frameId: z.number().int().nonnegative(),
});
export const FRAME_ACK_WINDOW = 2;

export const ZClientMessage = z.discriminatedUnion("type", [
  ZFrameAck,
  ZMouse,
  ZWheel,
  ZKey,
  ZInsertText,
  ZComposition,
  ZPaste,
  ZTouch,
  ZResize,
  ZNavigate,
  ZDialogAnswer,
  ZSignedInAnswer,
]);
export type TClientMessage = z.infer<typeof ZClientMessage>;
export type TClientMessageInput = z.input<typeof ZClientMessage>;

// ---------------------------------------------------------------------------------------
// Worker → client (JSON text; frames are binary, see below)

export const ZLoginOutcome = z.enum(["success", "failure", "mfa", "unsure"]);
export type TLoginOutcome = z.infer<typeof ZLoginOutcome>;

/** Why a worker ended a session (reported to the API and sent to the client). */
export const ZSessionEndReason = z.enum([
  "completed",
  "client_left",
  /** An interactive session whose stream was never opened in time (a tab that never came). */
  "never_attached",
  "idle_timeout",
  "max_duration",
  /** The API asked (recipient restarted, revoke, the API no longer knows the session). */
  "deleted",
  "shutdown",
  "browser_crashed",
  "error",
]);
export type TSessionEndReason = z.infer<typeof ZSessionEndReason>;

/**
 * WebSocket close codes of `/stream/{id}`, the same on the worker, the relay and the
 * page. 4000–4999 are the application range; 1000 is only a client closing on purpose.
 */
export const STREAM_CLOSE = {
  /** The session is over (an `ended` message went first): do not reconnect. */
  ENDED: 4000,
  /** The worker holding the browser vanished: the browser is gone, start again. */
  WORKER_LOST: 4001,
  /** The same session was opened in another window: this one stops, no reconnect. */
  REPLACED: 4002,
} as const;
export type TStreamCloseCode = (typeof STREAM_CLOSE)[keyof typeof STREAM_CLOSE];

export const ZStreamErrorCode = z.enum([
  "INVALID_MESSAGE",
  "INPUT_FAILED",
  "NAVIGATION_BLOCKED",
  "DOWNLOAD_BLOCKED",
  "REPLACED",
]);

/** A box in CSS pixels of the remote viewport (like input coordinates). */
export const ZFocusBox = z.object({
  x: z.number(),
  y: z.number(),
  width: z.number(),
  height: z.number(),
});
export type TFocusBox = z.infer<typeof ZFocusBox>;

export const ZServerMessage = z.discriminatedUnion("type", [
  /** First message on every connection. */
  z.object({
    type: z.literal("ready"),
    sessionId: z.string(),
    viewport: ZViewport,
  }),
  /** Sent only when one of url/title/loading changed. */
  z.object({
    type: z.literal("page"),
    url: z.string(),
    title: z.string(),
    loading: z.boolean(),
  }),
  /** No secrets ever: only what the recipient should be told. */
  z.object({
    type: z.literal("outcome"),
    outcome: ZLoginOutcome,
    message: z.string().optional(),
    /** A failure the portal explained: the account is locked or blocked for now. */
    detail: z.enum(["locked"]).optional(),
  }),
  z.object({
    type: z.literal("dialog"),
    dialogId: z.string(),
    dialogType: z.enum(["alert", "confirm", "prompt", "beforeunload"]),
    message: z.string(),
    defaultValue: z.string().optional(),
  }),
  z.object({ type: z.literal("dialogClosed"), dialogId: z.string() }),
  z.object({
    type: z.literal("error"),
    code: ZStreamErrorCode,
    message: z.string(),
    seq: z.number().int().optional(),
  }),
  z.object({ type: z.literal("ended"), reason: ZSessionEndReason }),
  /**
   * The remote page's focused text field (null: none). Sent when it moved or changed, so
   * a phone can keep its keyboard's input over it. Older clients ignore it.
   */
  z.object({ type: z.literal("focus"), box: ZFocusBox.nullable() }),
]);
export type TServerMessage = z.infer<typeof ZServerMessage>;

// ---------------------------------------------------------------------------------------
// Binary frame: [header FRAME_HEADER_BYTES][JPEG bytes]. All numbers little-endian.
//
//  off size field
//    0    1 magic 0x4d ("M")
//    1    1 version (1)
//    2    2 header length (so later versions may grow it; decoders skip unknown bytes)
//    4    4 frameId (u32)
//    8    4 lastInputSeq (u32; 0xffffffff = no input dispatched yet)
//   12    8 timestamp, ms since epoch (f64), when Chromium captured the frame
//   20    4 deviceWidth  (f32, CSS px of the remote viewport)
//   24    4 deviceHeight (f32)
//   28    4 offsetTop (f32)
//   32    4 pageScaleFactor (f32)
//   36    4 scrollOffsetX (f32)
//   40    4 scrollOffsetY (f32)

export const FRAME_MAGIC = 0x4d;
export const FRAME_VERSION = 1;
export const FRAME_HEADER_BYTES = 44;
const NO_SEQ = 0xffffffff;

export type TFrameHeader = {
  frameId: number;
  /** Last input `seq` the worker had dispatched before this frame; null before any input. */
  lastInputSeq: number | null;
  timestamp: number;
  deviceWidth: number;
  deviceHeight: number;
  offsetTop: number;
  pageScaleFactor: number;
  scrollOffsetX: number;
  scrollOffsetY: number;
};

export function encodeFrame(header: TFrameHeader, jpeg: Uint8Array): Uint8Array {
  const out = new Uint8Array(FRAME_HEADER_BYTES + jpeg.byteLength);
  const view = new DataView(out.buffer);
  view.setUint8(0, FRAME_MAGIC);
  view.setUint8(1, FRAME_VERSION);
  view.setUint16(2, FRAME_HEADER_BYTES, true);
  view.setUint32(4, header.frameId >>> 0, true);
  view.setUint32(8, header.lastInputSeq === null ? NO_SEQ : header.lastInputSeq >>> 0, true);
  view.setFloat64(12, header.timestamp, true);
  view.setFloat32(20, header.deviceWidth, true);
  view.setFloat32(24, header.deviceHeight, true);
  view.setFloat32(28, header.offsetTop, true);
  view.setFloat32(32, header.pageScaleFactor, true);
  view.setFloat32(36, header.scrollOffsetX, true);
  view.setFloat32(40, header.scrollOffsetY, true);
  out.set(jpeg, FRAME_HEADER_BYTES);
  return out;
}

export class FrameDecodeError extends Error {
  override name = "FrameDecodeError";
}

/** Decodes a binary frame; `jpeg` is a view into the input (no copy). */
export function decodeFrame(data: ArrayBuffer | Uint8Array): {
  header: TFrameHeader;
  jpeg: Uint8Array;
} {
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  if (bytes.byteLength < FRAME_HEADER_BYTES) throw new FrameDecodeError("frame too short");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint8(0) !== FRAME_MAGIC) throw new FrameDecodeError("not a frame");
  if (view.getUint8(1) !== FRAME_VERSION) throw new FrameDecodeError("unknown frame version");
  const headerLength = view.getUint16(2, true);
  if (headerLength < FRAME_HEADER_BYTES || headerLength > bytes.byteLength) {
    throw new FrameDecodeError("bad header length");
  }
  const seq = view.getUint32(8, true);
  return {
    header: {
      frameId: view.getUint32(4, true),
      lastInputSeq: seq === NO_SEQ ? null : seq,
      timestamp: view.getFloat64(12, true),
      deviceWidth: view.getFloat32(20, true),
      deviceHeight: view.getFloat32(24, true),
      offsetTop: view.getFloat32(28, true),
      pageScaleFactor: view.getFloat32(32, true),
      scrollOffsetX: view.getFloat32(36, true),
      scrollOffsetY: view.getFloat32(40, true),
    },
    jpeg: bytes.subarray(headerLength),
  };
}

/**
 * Maps a point on the displayed frame (element-relative px, element of size
 * displayWidth×displayHeight showing the whole frame) to the CSS-pixel viewport
 * coordinates that input messages carry. Pinch zoom is not emulated (pageScaleFactor
 * stays 1 on desktop emulation), so it does not enter the mapping.
 */
export function frameToViewport(
  header: Pick<TFrameHeader, "deviceWidth" | "deviceHeight" | "offsetTop">,
  point: { x: number; y: number },
  display: { width: number; height: number },
): { x: number; y: number } {
  return {
    x: (point.x / display.width) * header.deviceWidth,
    y: (point.y / display.height) * header.deviceHeight - header.offsetTop,
  };
}

/** The inverse of `frameToViewport`: where a remote viewport point is drawn on the display. */
export function viewportToFrame(
  header: Pick<TFrameHeader, "deviceWidth" | "deviceHeight" | "offsetTop">,
  point: { x: number; y: number },
  display: { width: number; height: number },
): { x: number; y: number } {
  return {
    x: (point.x / header.deviceWidth) * display.width,
    y: ((point.y + header.offsetTop) / header.deviceHeight) * display.height,
  };
}
