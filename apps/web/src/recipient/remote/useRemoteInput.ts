// The recipient's input to the remote page, as protocol messages in remote viewport
// coordinates. A hidden, focused textarea collects the keyboard (it also raises the
// on-screen keyboard on phones and receives IME and paste); pointer events on the canvas
// become mouse messages, a finger's tap a click where it landed, a drag a scroll.
// The textarea sits over the remote page's focused field (the worker says where it is):
// when a phone's keyboard opens, the browser keeps the focused element, so the field,
// in view; we also bring it back into the visible viewport whenever it moves out.
import { frameToViewport, viewportToFrame } from "@meterlink/shared/stream";
import { useCallback, useEffect, useRef } from "react";
import { beforeInputAction, keydownRoute, modifiersOf } from "./keyboard";
import type { TRemoteSession } from "./useRemoteSession";

const TAP_SLOP_PX = 8;

type TTouch = { x: number; y: number; lastX: number; lastY: number; moved: boolean };

const buttonOf = (button: number) =>
  button === 1 ? "middle" : button === 2 ? "right" : ("left" as const);

const noKey = { key: "", code: "" };

/** How often the input follows the field while one is focused (frames change size, scroll). */
const FOLLOW_MS = 200;

function visibleBottom(): number {
  const viewport = window.visualViewport;
  return viewport ? viewport.offsetTop + viewport.height : window.innerHeight;
}

export function useRemoteInput(session: TRemoteSession) {
  const { canvasRef, frameRef, drawRectRef, send, clearFailure, focus } = session;
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const pressedRef = useRef(new Set<string>());
  const touchRef = useRef<TTouch | null>(null);

  const toRemote = useCallback(
    (clientX: number, clientY: number) => {
      const canvas = canvasRef.current;
      const frame = frameRef.current;
      const rect = drawRectRef.current;
      if (!canvas || !frame || !rect) return null;
      const box = canvas.getBoundingClientRect();
      const x = clientX - box.left - rect.x;
      const y = clientY - box.top - rect.y;
      if (x < 0 || y < 0 || x > rect.width || y > rect.height) return null;
      return frameToViewport(frame.header, { x, y }, { width: rect.width, height: rect.height });
    },
    [canvasRef, frameRef, drawRectRef],
  );

  const focusInput = useCallback(() => inputRef.current?.focus({ preventScroll: true }), []);

  // Over the focused remote field (drawn coordinates), or a pixel in the corner if none.
  const placeInput = useCallback(() => {
    const input = inputRef.current;
    if (!input) return;
    const frame = frameRef.current;
    const rect = drawRectRef.current;
    let place = { left: 0, top: 0, width: 1, height: 1 };
    if (focus && frame && rect) {
      const display = { width: rect.width, height: rect.height };
      const start = viewportToFrame(frame.header, focus, display);
      const end = viewportToFrame(
        frame.header,
        { x: focus.x + focus.width, y: focus.y + focus.height },
        display,
      );
      const clamp = (value: number, max: number) => Math.min(max, Math.max(0, value));
      const left = clamp(rect.x + start.x, rect.x + rect.width - 1);
      const top = clamp(rect.y + start.y, rect.y + rect.height - 1);
      place = {
        left,
        top,
        width: Math.max(1, Math.min(rect.x + rect.width, rect.x + end.x) - left),
        height: Math.max(1, Math.min(rect.y + rect.height, rect.y + end.y) - top),
      };
    }
    const style = input.style;
    const next = {
      left: `${Math.round(place.left)}px`,
      top: `${Math.round(place.top)}px`,
      width: `${Math.round(place.width)}px`,
      height: `${Math.round(place.height)}px`,
    };
    const moved = Object.entries(next).some(
      ([key, value]) => style.getPropertyValue(key) !== value,
    );
    if (moved) Object.assign(style, next);
    if (!focus || document.activeElement !== input) return;
    const box = input.getBoundingClientRect();
    if (box.top < (window.visualViewport?.offsetTop ?? 0) || box.bottom > visibleBottom()) {
      input.scrollIntoView({ block: "center", inline: "nearest" });
    }
  }, [focus, frameRef, drawRectRef]);

  useEffect(() => {
    placeInput();
    if (!focus) return;
    const timer = setInterval(placeInput, FOLLOW_MS);
    window.visualViewport?.addEventListener("resize", placeInput);
    return () => {
      clearInterval(timer);
      window.visualViewport?.removeEventListener("resize", placeInput);
    };
  }, [focus, placeInput]);

  // Wheel must be a non-passive listener to stop the page from scrolling along.
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const onWheel = (event: WheelEvent) => {
      const point = toRemote(event.clientX, event.clientY);
      if (!point) return;
      event.preventDefault();
      const unit = event.deltaMode === 1 ? 16 : event.deltaMode === 2 ? 400 : 1;
      send({
        type: "wheel",
        ...point,
        deltaX: event.deltaX * unit,
        deltaY: event.deltaY * unit,
        modifiers: modifiersOf({ ...event, ...noKey }),
      });
    };
    canvas.addEventListener("wheel", onWheel, { passive: false });
    return () => canvas.removeEventListener("wheel", onWheel);
  }, [canvasRef, toRemote, send]);

  const canvas = {
    onPointerDown(event: React.PointerEvent<HTMLCanvasElement>) {
      const point = toRemote(event.clientX, event.clientY);
      if (!point) return;
      event.preventDefault();
      event.currentTarget.setPointerCapture(event.pointerId);
      if (event.pointerType === "touch") {
        const at = { x: event.clientX, y: event.clientY };
        touchRef.current = { ...at, lastX: at.x, lastY: at.y, moved: false };
        return;
      }
      focusInput();
      send({
        type: "mouse",
        action: "down",
        ...point,
        button: buttonOf(event.button),
        clickCount: Math.min(3, Math.max(1, event.detail || 1)),
        modifiers: modifiersOf({ ...event, ...noKey }),
      });
    },
    onPointerMove(event: React.PointerEvent<HTMLCanvasElement>) {
      const point = toRemote(event.clientX, event.clientY);
      if (!point) return;
      const touch = touchRef.current;
      if (event.pointerType !== "touch") {
        send({ type: "mouse", action: "move", ...point, button: "none" });
        return;
      }
      if (!touch) return;
      const travelled = Math.hypot(event.clientX - touch.x, event.clientY - touch.y);
      if (!touch.moved && travelled < TAP_SLOP_PX) return;
      touch.moved = true;
      const rect = drawRectRef.current;
      const frame = frameRef.current;
      const scale = rect && frame ? frame.header.deviceWidth / rect.width : 1;
      send({
        type: "touch",
        action: "scroll",
        ...point,
        deltaX: (event.clientX - touch.lastX) * scale,
        deltaY: (event.clientY - touch.lastY) * scale,
      });
      touch.lastX = event.clientX;
      touch.lastY = event.clientY;
    },
    onPointerUp(event: React.PointerEvent<HTMLCanvasElement>) {
      const point = toRemote(event.clientX, event.clientY);
      if (event.pointerType === "touch") {
        const touch = touchRef.current;
        touchRef.current = null;
        // A tap is a click where the finger landed: dependable on every page, unlike
        // synthesized touch gestures. Focusing here, inside the tap, raises the keyboard.
        if (touch && !touch.moved && point) {
          focusInput();
          send({ type: "mouse", action: "click", ...point, button: "left", clickCount: 1 });
        }
        return;
      }
      if (!point) return;
      send({
        type: "mouse",
        action: "up",
        ...point,
        button: buttonOf(event.button),
        clickCount: Math.min(3, Math.max(1, event.detail || 1)),
        modifiers: modifiersOf({ ...event, ...noKey }),
      });
    },
    onPointerCancel() {
      touchRef.current = null;
    },
    onContextMenu(event: React.MouseEvent) {
      event.preventDefault();
    },
  };

  const clearInput = () => {
    if (inputRef.current) inputRef.current.value = "";
  };

  const keyboard = {
    onKeyDown(event: React.KeyboardEvent<HTMLTextAreaElement>) {
      const native = event.nativeEvent;
      const route = keydownRoute({
        key: event.key,
        code: event.code,
        keyCode: native.keyCode,
        isComposing: native.isComposing,
        altKey: event.altKey,
        ctrlKey: event.ctrlKey,
        metaKey: event.metaKey,
        shiftKey: event.shiftKey,
      });
      if (route !== "forward") return;
      event.preventDefault();
      if (event.key.length === 1 || event.key === "Backspace") clearFailure();
      pressedRef.current.add(event.code || event.key);
      send({
        type: "key",
        action: "down",
        key: event.key,
        code: event.code,
        modifiers: modifiersOf(event),
        repeat: event.repeat,
      });
    },
    onKeyUp(event: React.KeyboardEvent<HTMLTextAreaElement>) {
      if (!pressedRef.current.delete(event.code || event.key)) return;
      event.preventDefault();
      send({
        type: "key",
        action: "up",
        key: event.key,
        code: event.code,
        modifiers: modifiersOf(event),
      });
    },
    onBeforeInput(event: React.FormEvent<HTMLTextAreaElement>) {
      const native = event.nativeEvent as InputEvent;
      if (native.isComposing) return;
      const action = beforeInputAction(native.inputType, native.data);
      if (!action) return;
      event.preventDefault();
      clearFailure();
      if (action.kind === "text") send({ type: "insertText", text: action.text });
      else {
        send({ type: "key", action: "down", key: action.key, code: action.code });
        send({ type: "key", action: "up", key: action.key, code: action.code });
      }
    },
    onInput(event: React.FormEvent<HTMLTextAreaElement>) {
      // Whatever the textarea kept outside a composition has already been sent.
      if (!(event.nativeEvent as InputEvent).isComposing) clearInput();
    },
    onCompositionUpdate(event: React.CompositionEvent<HTMLTextAreaElement>) {
      send({ type: "composition", action: "update", text: event.data });
    },
    onCompositionEnd(event: React.CompositionEvent<HTMLTextAreaElement>) {
      send(
        event.data
          ? { type: "composition", action: "commit", text: event.data }
          : { type: "composition", action: "cancel", text: "" },
      );
      clearInput();
    },
    onPaste(event: React.ClipboardEvent<HTMLTextAreaElement>) {
      event.preventDefault();
      const text = event.clipboardData.getData("text/plain");
      if (text) send({ type: "paste", text: text.slice(0, 65_536) });
    },
  };

  return { inputRef, focusInput, canvas, keyboard };
}
