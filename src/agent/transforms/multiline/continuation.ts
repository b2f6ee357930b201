// Whether a line continues the group before it: stack traces of Java, Node, Python and Go as they
// reach the journal one line per entry. A small state machine per group, because a Python
// traceback ends with an unindented exception line and a Go panic holds unindented frame lines.

export type TraceState = "plain" | "python_tb" | "python_exc" | "python_chain" | "go";

// Java and Node frames, Java's "... 12 more", "Caused by:", "Suppressed:".
const FRAME = /^\s+at\s|^\s+\.\.\. \d+ (?:more|common frames omitted)|^(?:Caused by|\s+Suppressed): /;
// A Java exception line right after a log line: java.lang.IllegalStateException: ...
const JAVA_EXCEPTION = /^(?:Exception in thread "[^"]*" )?(?:[a-z_$][\w$]*\.)+[A-Z][\w$]*(?:Exception|Error|Throwable)\b/;
const PY_START = "Traceback (most recent call last):";
const PY_CHAIN = /^(?:During handling of the above exception, another exception occurred:|The above exception was the direct cause of the following exception:)$/;
const GO_START = /^(?:panic: |fatal error: )/;
const GO_LINE = /^(?:$|\s|goroutine \d+ \[|created by |\[signal |exit status \d+$|[\w./*()\[\]{}-]+\(.*\)$|\.\.\.additional frames elided\.\.\.$)/;

/** The state a group starting with this line is in. */
export function startState(line: string): TraceState {
  if (line === PY_START) return "python_tb";
  if (GO_START.test(line)) return "go";
  return "plain";
}

/** The group's next state when the line continues it, or undefined when the line starts a new group. */
export function continues(state: TraceState, line: string): TraceState | undefined {
  switch (state) {
    case "plain":
      if (FRAME.test(line) || JAVA_EXCEPTION.test(line)) return "plain";
      if (line === PY_START) return "python_tb";
      return undefined;
    case "python_tb":
      if (line === "" || /^\s/.test(line)) return "python_tb";
      return "python_exc"; // the exception line ends the traceback
    case "python_exc":
      if (line === "") return "python_exc";
      return PY_CHAIN.test(line) ? "python_chain" : undefined;
    case "python_chain":
      if (line === "") return "python_chain";
      return line === PY_START ? "python_tb" : undefined;
    case "go":
      return GO_LINE.test(line) ? "go" : undefined;
  }
}

/**
 * Whether a message, by its first bytes, could continue a plain group or start a trace: lines that
 * start with whitespace, "Caused by: ", "Traceback", "panic: ", "fatal error: ", "Exception in",
 * or a dotted lowercase name (a Java class). Everything else is known not to without decoding it.
 */
export function mayMatter(b: Buffer, start: number, end: number): boolean {
  if (start >= end) return true; // an empty line matters inside Python and Go traces
  const c = b[start]!;
  if (c === 0x20 || c === 0x09) return true;
  if (c === 0x43 /* C */ || c === 0x54 /* T */ || c === 0x45 /* E */ || c === 0x70 /* p */ || c === 0x66 /* f */) return true;
  if ((c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x24) {
    // a Java package: [a-z_$][\w$]* then "."
    for (let i = start + 1; i < end; i++) {
      const d = b[i]!;
      if (d === 0x2e) return true;
      if (!((d >= 0x61 && d <= 0x7a) || (d >= 0x41 && d <= 0x5a) || (d >= 0x30 && d <= 0x39) || d === 0x5f || d === 0x24)) return false;
    }
  }
  return false;
}
