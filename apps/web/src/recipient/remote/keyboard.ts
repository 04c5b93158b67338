// How a key press on the hidden textarea becomes stream input. Physical keys with a real
// `key` are forwarded as key events (so Tab, Enter, arrows and shortcuts behave natively
// in the remote page); everything a keyboard produces without a usable `key` (phone
// keyboards report "Unidentified"/229, IMEs compose) is left to the textarea and sent
// from its input/composition events instead, so each character is sent exactly once.
import type { TModifiers } from "@meterlink/shared/stream";

export type TKeyLike = {
  key: string;
  code: string;
  keyCode?: number;
  isComposing?: boolean;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
};

export function modifiersOf(event: TKeyLike): TModifiers | undefined {
  const modifiers: TModifiers = {};
  if (event.altKey) modifiers.alt = true;
  if (event.ctrlKey) modifiers.ctrl = true;
  if (event.metaKey) modifiers.meta = true;
  if (event.shiftKey) modifiers.shift = true;
  return Object.keys(modifiers).length ? modifiers : undefined;
}

/**
 * "forward": send as a key event and cancel it locally.
 * "paste": let the browser fire `paste` (our clipboard's text is sent, not the remote's).
 * "textarea": let the textarea handle it (IME, dead keys, virtual keyboards).
 */
export function keydownRoute(event: TKeyLike): "forward" | "paste" | "textarea" {
  if (event.isComposing || event.keyCode === 229) return "textarea";
  if (event.key === "Process" || event.key === "Unidentified" || event.key === "Dead") {
    return "textarea";
  }
  if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "v") {
    return "paste";
  }
  // The protocol caps `key` at 32 characters; no real key name is longer.
  if (event.key.length > 32) return "textarea";
  return "forward";
}

/** What an `beforeinput` the textarea saw should become, if anything. */
export function beforeInputAction(
  inputType: string,
  data: string | null,
): { kind: "text"; text: string } | { kind: "key"; key: string; code: string } | null {
  switch (inputType) {
    case "insertText":
    case "insertReplacementText":
      return data ? { kind: "text", text: data } : null;
    case "deleteContentBackward":
      return { kind: "key", key: "Backspace", code: "Backspace" };
    case "deleteContentForward":
      return { kind: "key", key: "Delete", code: "Delete" };
    case "insertLineBreak":
    case "insertParagraph":
      return { kind: "key", key: "Enter", code: "Enter" };
    default:
      return null;
  }
}
