/** What the code that changes copies needs: the wait's context plus the cloud seam, progress lines and limits. */
import type { Outbound } from "../cloud/outbound";
import type { WaitContext } from "../waiting/waitForCopy";

export interface CopyContext extends WaitContext {
  api: Outbound;
  log: (line: string) => void;
  /** Longest wait for a deleted copy to disappear. */
  deleteTimeoutMs: number;
  /** Longest time a failed create spends cancelling its copy, retries included. */
  cancelTimeoutMs: number;
  /** Shortest gap between two progress lines that do not cross a 10% step. */
  progressIntervalMs: number;
}
