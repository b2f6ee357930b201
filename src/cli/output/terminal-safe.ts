// Text from the store shown on a terminal: a logged line may hold escape sequences (ESC [ ... to
// move the cursor, rewrite the title, clear the screen, or worse) and other control characters.
// Like journalctl, we never pass them through: each becomes a visible \xHH escape. Tabs stay;
// newlines are the caller's (an event's continuation lines).
const CONTROLS = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;

/** `text` with every control character but tab and newline written as `\xHH`. */
export function terminalSafe(text: string): string {
  return text.replace(CONTROLS, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}
