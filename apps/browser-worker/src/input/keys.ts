// Maps a client KeyboardEvent (key + code) to what CDP Input.dispatchKeyEvent needs.
// Chromium acts on windowsVirtualKeyCode for editing keys (Backspace, arrows, Tab, Enter)
// and on `text` for insertion, so both must be right for typing to look native.
import type { TModifiers } from "@meterlink/shared/stream";

const NAMED: Record<string, { keyCode: number; text?: string; location?: number }> = {
  Enter: { keyCode: 13, text: "\r" },
  Tab: { keyCode: 9 },
  Backspace: { keyCode: 8 },
  Delete: { keyCode: 46 },
  Escape: { keyCode: 27 },
  ArrowLeft: { keyCode: 37 },
  ArrowUp: { keyCode: 38 },
  ArrowRight: { keyCode: 39 },
  ArrowDown: { keyCode: 40 },
  Home: { keyCode: 36 },
  End: { keyCode: 35 },
  PageUp: { keyCode: 33 },
  PageDown: { keyCode: 34 },
  Insert: { keyCode: 45 },
  Shift: { keyCode: 16, location: 1 },
  Control: { keyCode: 17, location: 1 },
  Alt: { keyCode: 18, location: 1 },
  Meta: { keyCode: 91, location: 1 },
  CapsLock: { keyCode: 20 },
};

const PUNCTUATION_CODES: Record<string, number> = {
  Semicolon: 186,
  Equal: 187,
  Comma: 188,
  Minus: 189,
  Period: 190,
  Slash: 191,
  Backquote: 192,
  BracketLeft: 219,
  Backslash: 220,
  BracketRight: 221,
  Quote: 222,
  Space: 32,
};

export function modifierMask(modifiers: TModifiers | undefined): number {
  if (!modifiers) return 0;
  // CDP bit field: Alt=1, Ctrl=2, Meta=4, Shift=8.
  return (
    (modifiers.alt ? 1 : 0) |
    (modifiers.ctrl ? 2 : 0) |
    (modifiers.meta ? 4 : 0) |
    (modifiers.shift ? 8 : 0)
  );
}

export type TKeyEventParams = {
  key: string;
  code: string;
  windowsVirtualKeyCode: number;
  nativeVirtualKeyCode: number;
  text?: string;
  unmodifiedText?: string;
  location?: number;
};

function keyCodeOf(key: string, code: string): number {
  if (code.startsWith("Key") && code.length === 4) return code.charCodeAt(3);
  if (code.startsWith("Digit") && code.length === 6) return code.charCodeAt(5);
  if (code.startsWith("Numpad") && /^Numpad\d$/.test(code)) return 96 + Number(code.slice(6));
  const punctuation = PUNCTUATION_CODES[code];
  if (punctuation) return punctuation;
  if (/^[a-z]$/i.test(key)) return key.toUpperCase().charCodeAt(0);
  if (/^\d$/.test(key)) return key.charCodeAt(0);
  if (/^F\d{1,2}$/.test(key)) return 111 + Number(key.slice(1));
  return 0;
}

/**
 * `text` is set only for keys that insert a character without a command modifier, so
 * Ctrl+A selects all instead of typing "a".
 */
export function keyEventParams(
  key: string,
  code: string,
  modifiers: TModifiers | undefined,
): TKeyEventParams {
  const named = NAMED[key];
  const command = Boolean(modifiers?.ctrl || modifiers?.meta || modifiers?.alt);
  if (named) {
    const params: TKeyEventParams = {
      key,
      code: code || key,
      windowsVirtualKeyCode: named.keyCode,
      nativeVirtualKeyCode: named.keyCode,
    };
    if (named.text && !command) {
      params.text = named.text;
      params.unmodifiedText = named.text;
    }
    if (named.location !== undefined) params.location = named.location;
    return params;
  }
  const keyCode = keyCodeOf(key, code);
  const printable = [...key].length === 1;
  const params: TKeyEventParams = {
    key,
    code,
    windowsVirtualKeyCode: keyCode,
    nativeVirtualKeyCode: keyCode,
  };
  if (printable && !command) {
    params.text = key;
    params.unmodifiedText = key;
  }
  return params;
}
