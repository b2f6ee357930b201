// A journal file that cannot be read as one (corrupt, truncated, of an unknown kind): names the file
// and the byte offset of the problem, so an operator can look at it (journalctl --verify --file).
import { LogharborError } from "../../../core/errors.js";

export class JournalFileError extends LogharborError {
  readonly file: string;
  readonly offset: number;

  constructor(file: string, offset: number, what: string) {
    super("LH_ERR_JOURNAL_FILE", `journal file ${file}: ${what} (at byte ${offset})`, { position: offset });
    this.file = file;
    this.offset = offset;
  }
}
