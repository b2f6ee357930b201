// The Logentries token line, as Logentries / Rapid7 InsightOps receive it on token TCP/TLS:
//   TOKEN SP MESSAGE LF
// One line per entry. The official clients (le_node, r7insight_node, le_python...) send each
// newline of a multi-line message as U+2028 (LINE SEPARATOR); receivers turn them back. Shared by
// the agent's logentries sink (encode) and anything that reads token lines (decode).

export const LINE_SEPARATOR = "\u2028";

/** The message with every CRLF, LF and CR replaced by U+2028, so it fits on one line. */
export function encodeNewlines(message: string): string {
  return /[\r\n]/.test(message) ? message.replace(/\r\n|\n|\r/g, LINE_SEPARATOR) : message;
}

/** Every U+2028 turned back into a newline. */
export function decodeNewlines(message: string): string {
  return message.includes(LINE_SEPARATOR) ? message.replaceAll(LINE_SEPARATOR, "\n") : message;
}

/** One token line: `TOKEN message\n`, the message on one line. */
export function encodeTokenLine(token: string, message: string): string {
  return `${token} ${encodeNewlines(message)}\n`;
}
